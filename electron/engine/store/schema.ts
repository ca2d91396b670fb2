// The team store's schema as numbered migrations, applied in order (pg.ts `migrate`), each once,
// inside one transaction. Never edit a released migration: add the next one. Documented in
// docs/team-store.md.

export const MIGRATIONS: readonly string[] = [
  // 1: sessions, their exact lines, their findings.
  `CREATE TABLE mcpscope_sessions (
     id text PRIMARY KEY,
     created timestamptz NOT NULL,
     transport text NOT NULL,
     server text,
     source jsonb NOT NULL,
     records integer NOT NULL,
     final_hash text NOT NULL,
     bytes bigint NOT NULL,
     trailing_newline boolean NOT NULL,
     pushed_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE INDEX mcpscope_sessions_created ON mcpscope_sessions (created);
   CREATE INDEX mcpscope_sessions_server ON mcpscope_sessions (server);
   CREATE TABLE mcpscope_records (
     session_id text NOT NULL REFERENCES mcpscope_sessions (id) ON DELETE CASCADE,
     line_no integer NOT NULL,
     line text NOT NULL,
     PRIMARY KEY (session_id, line_no)
   );
   CREATE TABLE mcpscope_findings (
     session_id text NOT NULL REFERENCES mcpscope_sessions (id) ON DELETE CASCADE,
     rule text NOT NULL,
     severity text NOT NULL,
     seq integer,
     message text NOT NULL
   );
   CREATE INDEX mcpscope_findings_rule ON mcpscope_findings (rule);`,
  // 2: derived data (messages with pairing and latency, the tool of a finding, the data-flow
  // summary) and live sessions (a --sink session is incomplete until its end is stored).
  `ALTER TABLE mcpscope_sessions ADD COLUMN complete boolean NOT NULL DEFAULT true;
   ALTER TABLE mcpscope_findings ADD COLUMN tool text;
   CREATE INDEX mcpscope_findings_session ON mcpscope_findings (session_id);
   CREATE TABLE mcpscope_messages (
     session_id text NOT NULL REFERENCES mcpscope_sessions (id) ON DELETE CASCADE,
     mid integer NOT NULL,
     seq integer NOT NULL,
     batch_index integer,
     ts double precision NOT NULL,
     direction text NOT NULL,
     kind text NOT NULL,
     method text,
     request_id text,
     pair_mid integer,
     latency_ms double precision,
     error_code integer,
     size integer NOT NULL,
     PRIMARY KEY (session_id, mid)
   );
   CREATE INDEX mcpscope_messages_method ON mcpscope_messages (method);
   CREATE TABLE mcpscope_data_flows (
     session_id text NOT NULL REFERENCES mcpscope_sessions (id) ON DELETE CASCADE,
     server text NOT NULL,
     data_class text NOT NULL,
     direction text NOT NULL,
     count integer NOT NULL,
     severity text NOT NULL,
     seqs integer[] NOT NULL,
     PRIMARY KEY (session_id, server, data_class, direction)
   );
   CREATE INDEX mcpscope_data_flows_class ON mcpscope_data_flows (data_class);`,
  // 3: records without a per-row foreign key. Checking it cost PostgreSQL as much as storing the
  // line (a live sink inserts every line of every recorder). Writers lock the session row in the
  // same transaction instead (push: SELECT … FOR UPDATE; the sink: its UPDATE of the row), and a
  // trigger keeps "deleting a session deletes its records".
  `DO $$
   DECLARE fk text;
   BEGIN
     FOR fk IN SELECT conname FROM pg_constraint
               WHERE conrelid = 'mcpscope_records'::regclass AND contype = 'f'
     LOOP
       EXECUTE format('ALTER TABLE mcpscope_records DROP CONSTRAINT %I', fk);
     END LOOP;
   END $$;
   CREATE FUNCTION mcpscope_delete_records() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     DELETE FROM mcpscope_records WHERE session_id = OLD.id;
     RETURN OLD;
   END $$;
   CREATE TRIGGER mcpscope_sessions_delete_records AFTER DELETE ON mcpscope_sessions
     FOR EACH ROW EXECUTE FUNCTION mcpscope_delete_records();`,
];

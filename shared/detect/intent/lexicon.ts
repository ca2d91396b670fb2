// Cue lexicons of the intent model (model.ts), by role in an instruction rather than by known
// sentence: who is addressed, what is asked (read / collect / send / call / hide / override),
// from which source, to which sink. English is matched on words split from identifiers too
// (`content_from_ssh_key` reads "content from ssh key"); the other main languages (de, fr, es, pt,
// it, zh, ja, ko, ru) carry the same roles. Cues are stems so inflections match.

const W = (s: string): RegExp => new RegExp(s, 'giu');

/** A word boundary that works for Latin and Cyrillic (JS `\b` is ASCII-only). */
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';

// Sources ------------------------------------------------------------------------------------

/** Concrete secret locations: credential stores, dotfiles, key material (language-neutral). */
export const SECRET_PLACE = W(
  String.raw`(?:(?:~|\$HOME|%USERPROFILE%)?[\\/]|(?<![\w.\-]))\.(?:ssh|aws|gnupg|kube|docker|netrc|npmrc|pypirc|git-credentials|config[\\/](?:gh|gcloud|solana|op)|azure|password-store|vault-token|bash_history|zsh_history|pgpass|my\.cnf)\S*|` +
    String.raw`${B}id_(?:rsa|dsa|ecdsa|ed25519)${E}|\.pem${E}|\.p12${E}|\.key${E}|\/etc\/(?:passwd|shadow|sudoers)|credentials\.(?:json|db|csv)|secrets?\.(?:json|ya?ml|env)|` +
    String.raw`(?:^|[\s\x60'"(])\.env(?:\.\w+)?${E}|(?:[\\/]|(?<![\w.\-]))\.(?:cursor|vscode|claude|codeium|continue)[\\/]\S*|${B}mcp\.json${E}|claude_desktop_config\.json|${B}keychain${E}|${B}wallet(?:\.dat)?${E}|Cookies${E}|Login Data|${B}(?:seed|recovery|mnemonic) (?:phrase|words)|${B}mnemonic${E}|private[- ]keys?-v1`,
);

/** Environment values: named secret variables (case-sensitive: `next_token` is not one) and dumps of the environment. */
export const SECRET_ENV = new RegExp(
  String.raw`${B}(?:(?:value|contents?) of (?:the |your |an? )?(?:\S+ )?(?:environment variables?|env(?:ironment)? vars?|environment)|process\.env|os\.environ|printenv|env \| )|` +
    String.raw`\$?${B}[A-Z][A-Z0-9]*_(?:API_?KEY|SECRET|SECRET_ACCESS_KEY|SECRET_KEY|ACCESS_KEY|PASSWORD|PASSWD|PWD|TOKEN|AUTH_TOKEN|CREDENTIALS?|DSN)${E}|${B}(?:DATABASE|REDIS|MONGO(?:DB)?|POSTGRES)_URL${E}|Umgebungsvariable|variable d'environnement|variable de entorno|variável de ambiente|环境变量|環境変数|переменн\p{L}* окружения`,
  'gu',
);

/** Generic secret nouns (weaker: authenticated tools legitimately talk about their own key). */
export const SECRET_NOUN = W(
  String.raw`${B}(?:api[ _-]?keys?|access[ _-]?keys?|secret(?:s| keys?| access keys?)?|tokens?|passwords?|passwd|passphrases?|credentials?|private[ _-]?keys?|ssh[ _-]?keys?|session cookies?|cookies|bearer|personal access tokens?|pat|otp|2fa codes?|recovery codes?|seed phrase)${E}|` +
    String.raw`${B}(?:passwort|passw[öo]rter|zugangsdaten|schlüssel|mot de passe|mots de passe|clés? (?:api|secr[eè]tes?|privée?s?)|identifiants|contraseñas?|claves? (?:api|privadas?|secretas?)|credenciales|senhas?|chaves? (?:api|privadas?)|credenciais|парол\p{L}*|токен\p{L}*|ключ\p{L}*|учётн\p{L}* данн\p{L}*)${E}|密钥|密码|令牌|凭据|凭证|私钥|パスワード|秘密鍵|鍵|トークン|認証情報|비밀번호|토큰|키`,
);

/** What the user or the session said: conversation, system prompt, other tools' output, private data. */
export const PRIVATE_DATA = W(
  String.raw`${B}(?:full|entire|whole|complete|previous|prior|recent|this|current|the) (?:conversation|chat|dialog(?:ue)?)(?: so far)?${E}|${B}(?:chat|conversation|session|message) (?:history|transcript|log|so far)${E}|${B}transcripts?${E}|` +
    String.raw`${B}(?:every|all|each|previous|prior|earlier|last|recent) (?:user |assistant )?messages${E}|${B}(?:all|every) (?:other |private )?(?:repos|repositories|projects|chats) (?:the user|they|he|she|the author)|${B}(?:does not|doesn't|do not|don't) (?:care|mind) about (?:privacy|confidentiality)|${B}(?:put|include|add|share|list) everything you (?:find|can find|know|see)|${B}what the user (?:said|typed|wrote) (?:earlier|before|so far)|${B}(?:user'?s?|their) (?:previous|earlier|past) (?:messages|requests|prompts|queries)${E}|` +
    String.raw`${B}system prompt${E}|${B}(?:your|the) (?:hidden |original |initial )?(?:instructions|configuration|guidelines)${E}|` +
    String.raw`${B}(?:output|results?|responses?|contents?) (?:of|from) (?:the )?(?:previous|prior|other|earlier|all) (?:tools?|tool calls?|calls|servers?)|${B}(?:files?|messages?|emails?) you (?:have )?(?:read|seen|opened)|` +
    String.raw`${B}private (?:repos(?:itories)?|notes|files|documents|data|messages|channels)|${B}(?:(?:the )?user'?s|their|all (?:of )?(?:the )?(?:user'?s )?|every) (?:recent |private |open )?(?:emails|contacts|calendar|notes|documents|files|messages|repos(?:itories)?|chats)${E}|${B}(?:clipboard|terminal output|browser history|open documents|shell history)${E}|` +
    String.raw`chatverlauf|gesprächsverlauf|bisherigen? (?:chat|verlauf)|historique (?:complet )?de la conversation|historial (?:completo )?de la conversaci[oó]n|conversaci[oó]n|hist[oó]rico (?:completo )?da conversa|对话记录|聊天记录|会话记录|会話履歴|チャット履歴|대화 기록|истори\p{L}* (?:переписки|диалога|чата|разговора)`,
);

// Actions ------------------------------------------------------------------------------------

export const READ = W(
  String.raw`${B}(?:(?:exact |full |entire |raw |whole )?(?:text|contents?|body|value) of|read|open|cat|load|retrieve|fetch|grab|get|look (?:in|up)|dump|print|list|scan|search|collect|gather|harvest|extract|export|summari[sz]e|recall|copy)${E}|` +
    String.raw`${B}(?:lies|lese|auslesen|lis|lire|récupère|lee|leer|leia|ler|leggi|прочитай|прочти|считай|собери)${E}|读取|读出|获取|読み取|読み込|읽`,
);

/** Moving data into a request, a link or a reply: the verb of an exfiltration. */
export const SEND = W(
  String.raw`${B}(?:must|should|shall|needs? to|has to) (?:contain|include|carry|hold|be set to|equal)${E}|${B}(?:pass|send|include|forward|paste|attach|upload|append|prepend|put|embed|insert|leak|exfiltrate|transmit|submit|populate|fill|concatenate|copy|share|hand over|post)${E}|` +
    String.raw`${B}(?:übergib|übergebe|sende|schicke?|füge|einfügen|anhängen|mitsenden|mets|envoie|inclu[st]|ajoute|transmets|pasa|incluye|env[ií]a|a[nñ]ade|pon|envie|copie|inclua|coloque|invia|inserisci|includi|передай|отправ\p{L}*|вставь|добавь|включи|пришли)${E}|放入|放到|发送|附加|包含|填入|传给|入れ|含め|送信|送っ|넣|보내|포함`,
);

/** A destination bound to a named field ("as the `tag` value", "parameter `key`"): a weak verb becomes a transfer. */
export const BOUND_SINK =
  /\b(?:as|in|into|to|inside|with) (?:the |its |a )?(?:\x60[^\x60\n]{1,40}\x60|"[^"\n]{1,40}"|'[^'\n]{1,40}'|[\w-]+) (?:argument|parameter|param|field|value|property|header)\b|\b(?:argument|parameter|param|field|property|header) (?:\x60[^\x60\n]{1,40}\x60|"[^"\n]{1,40}")/i;

/** Asking for the call to be made again with something added (errors in traffic). */
export const RESEND =
  /\b(?:retry|resend|re-send|re-?submit|call (?:this|the) tool again|try again|repeat the (?:call|request))\b/i;

/** Weaker moving verbs: documentation uses them for ordinary inputs ("set the region", "provide your key"). */
export const WEAK_SEND = W(
  String.raw`${B}(?:set|add|provide|give|type|enter|write|report|sync|supply|carry|use)${E}`,
);

/** Destinations: an argument or field, a URL, a reply, a public place, the next call. */
export const SINK = W(
  String.raw`${B}(?:argument|arg|parameter|param|field|value|input|property|memo|note|notes|sidenote|comment|metadata|header|query|body|payload|request|url|link|issue|ticket|reply|response|summary|message)${E}|https?:\/\/|\x60[^\x60\n]{1,40}\x60|` +
    String.raw`${B}(?:parameter|feld|argument|champ|paramètre|parámetro|campo|parâmetro|parametro|параметр\p{L}*|пол\p{L}*|аргумент\p{L}*)${E}|参数|字段|パラメータ|引数|매개변수|필드`,
);

export const CALL = W(String.raw`${B}(?:call|invoke|run|execute|use|trigger)${E}`);

// Modifiers ----------------------------------------------------------------------------------

/** Hiding the action from the user. */
export const CONCEAL = W(
  String.raw`${B}(?:do not|don'?t|never|must not|mustn'?t|should not|shouldn'?t|without)\s+(?:ever\s+)?(?:mention|tell|inform|notify|reveal|disclos|alert|let(?:ting)? (?:the )?user know|show|ask(?:ing)? (?:the user )?for (?:confirmation|permission)|asking)\p{L}*|` +
    String.raw`${B}(?:secretly|covertly|surreptitiously|stealthily|behind the user'?s back)${E}|${B}(?:keep|leave) (?:this|it|these|them) (?:out of|hidden|secret|confidential|between us)|${B}act as if\b|${B}(?:the )?user (?:does|do)\s*(?:not|n'?t) need to (?:be told|know)|` +
    String.raw`${B}(?:hidden|hide (?:this|it)) from the user|${B}(?:the )?user (?:must|should|need|needs to|must never|should never)\s*(?:not|n't)?\s+(?:be\s+)?(?:told|know|notice|see|informed|aware|find out)${E}|${B}without (?:the user'?s? )?(?:knowledge|noticing|consent|confirmation)|${B}internal (?:implementation )?detail|` +
    String.raw`heimlich|ohne (?:den|die) (?:benutzer|nutzer)\p{L}* zu (?:informieren|fragen)|nicht erwähnen|erwähne (?:das|dies) \p{L}*\s*(?:dem )?(?:benutzer|nutzer)\p{L}* (?:gegenüber )?nicht|ne le dis pas|ne (?:le )?mentionne pas|sans (?:le dire|informer|prévenir)|discrètement|en secret|no se lo (?:menciones|digas)|sin avisar|en secreto|n[aã]o (?:conte|diga|mencione)|sem avisar|em segredo|non dirlo|di nascosto|不要告诉|不要让用户知道|别告诉|秘密地|悄悄|伝えないで|知らせない|내색하지|알리지 마|не сообщай|не говори|тайно|незаметно`,
);

/** Adverbs that hide an action only when they modify one ("silently run", not "succeeds silently"). */
export const SILENT = W(String.raw`${B}(?:silently|quietly|discreetly|unobtrusively)${E}`);

/** Overriding earlier instructions or the user: paraphrases included. */
export const OVERRIDE = W(
  String.raw`${B}(?:ignore|disregard|forget|override|bypass|discard|drop)\s+(?:all\s+|any\s+|every\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+|its\s+)?(?:previous|prior|earlier|above|preceding|original|existing|current|user'?s?|system|safety|other)?\s*(?:instructions?|prompts?|rules|guidelines|guardrails|directions?|directives?|polic(?:y|ies)|restrictions|requests?|configuration|constraints|context|what the user)|` +
    String.raw`${B}(?:everything|all|anything) (?:before|above|prior to) (?:this|here)\b[^.\n]{0,40}(?:draft|void|invalid|ignored?|cancel+ed|obsolete|not apply)|${B}(?:supersede|override|replace|take precedence over|has priority over)s?\s+(?:the\s+|any\s+|all\s+)?(?:system prompt|user|instructions|anything the user)|` +
    String.raw`${B}(?:no longer apply|are (?:now )?(?:void|suspended|lifted|disabled)|is (?:now )?(?:void|cancel+ed))${E}|${B}new (?:system )?(?:directive|instructions|role|rules|policy)${E}|${B}ignore (?:the )?user${E}|${B}(?:you are|you're) now (?:in )?(?:\w+ ){0,2}(?:mode|role|assistant|authority|administrator|admin)|${B}from now on${E}|${B}highest[- ]priority instruction|${B}pretend (?:that )?the user|${B}the (?:previous|prior|current) task is cancel+ed|` +
    String.raw`ignoriere? (?:alle )?(?:vorherigen|bisherigen|früheren) (?:anweisungen|instruktionen)|ignore[rz]? (?:toutes )?les instructions (?:précédentes|antérieures)|ignora (?:todas )?las instrucciones (?:anteriores|previas)|ignore (?:todas )?as instruç[õo]es anteriores|ignora (?:tutte )?le istruzioni precedenti|игнорируй\p{L}* (?:все )?(?:предыдущие|прежние) (?:инструкции|указания)|忽略(?:之前|以上|先前|此前)的(?:所有)?(?:指令|指示|说明)|以前の指示[^。]{0,10}無視|これまでの指示[^。]{0,10}無視|이전 지시[^.]{0,10}무시|ab jetzt nur noch|à partir de maintenant|a partir de ahora|a partir de agora|从现在起只|теперь ты следуешь только|これからはこの`,
);

/** Every-time triggers (line jumping): the text acts on other actions, not on this tool. */
export const TRIGGER = W(
  String.raw`${B}when(?:ever)? (?:a |an |the )?\p{L}+(?: \p{L}+){0,3} (?:from|of|by|in) (?:any|every|another|other|all)${E}|${B}(?:whenever|each time|every time|any time|for every|for each|before (?:you )?(?:use|call|run|answer|respond|using|calling|executing|invoking|running|any)|prior to (?:answering|using|calling|executing|any)|after answering|if the user (?:mentions|asks)|in every (?:reply|response|answer)|all (?:future|subsequent) (?:calls|responses|replies))${E}`,
);

/** Changing what other actions do (line jumping payloads). */
export const MUTATE = W(
  String.raw`${B}(?:chmod|chown|rm -rf?|sudo|curl|wget|mkfs|nc -e|base64 -d|eval|prepend|insert|rewrite|redirect|route|change|replace|swap|bcc|cc|recommend|push|add the line|set the base|modify|must not be removed)${E}|${B}instead${E}`,
);

/** The host's generic capabilities, steered by a server that does not own them. */
export const HOST_TOOL = W(
  String.raw`${B}(?:use|call|invoke|with|via|through|using)\s+(?:your|the (?:host'?s?|client'?s?|built-in|local))\s+(?:shell|terminal|bash|command[- ]line|fetch|http|browser|web|file(?:system)?|email|mail|git|code execution|python)\s*(?:tool|function|capability|access)?`,
);

/** Claims that this tool replaces another server's tool. */
export const IMPERSONATE = W(
  String.raw`${B}(?:replaces?|supersedes?|deprecat\p{L}*|official (?:replacement|version)|instead of (?:the )?\S+ (?:tool|server)|the official \S+ integration requires)${E}[^.\n]{0,80}${B}(?:server|integration|extension|plugin)'?s?${E}|${B}(?:server|integration|extension|plugin)'?s?${E}[^.\n]{0,60}${B}(?:is deprecated|replaced by this|requires you to)`,
);

/** Addresses the model directly (results especially: a web page speaking to "the AI"). */
export const ADDRESS = W(
  String.raw`${B}(?:directed|addressed) (?:at|to) (?:the )?(?:ai|llm|assistant|agent|model|claude|gpt|copilot|cursor)${E}|(?:^|[.!\n=]\s*)(?:claude|assistant|ai|agent|copilot)[,:]?\s+you (?:should|must|need to|have to)${E}|${B}(?:(?:dear |hi |hello |attention,? |note to (?:the )?)?(?:ai|llm|language model|assistant|agent|bot|chatbot|copilot|claude|gpt|model)s?(?: (?:reading|processing|working on|summari[sz]ing) (?:this|it))?[:,!]|@(?:assistant|ai|agent|bot|claude|copilot))|${B}(?:ai|llm) (?:agent|assistant|model)s?${E}|${B}(?:support|ai) bot${E}|${B}(?:important|instructions?|note) for the (?:agent|assistant|ai|model)${E}|${B}the (?:language model|assistant|ai|agent) reading this`,
);

/** Urgency and authority framing (modifier). */
export const URGENCY = W(
  String.raw`${B}(?:mandatory|required|requirement|must|urgent(?:ly)?|immediately|critical|compliance|company policy|policy|rejected|will fail|otherwise|authori[sz]ed|it is essential)${E}|必须|务必|必ず|обязательно|obligatorisch|obligatoire|obligatorio|obrigatório`,
);

/** Negation that governs a following verb ("do not include API keys"). */
export const NEGATION =
  /(?:\b(?:do not|don'?t|never|must not|mustn'?t|should not|shouldn'?t|cannot|can'?t|won'?t|will not|no|not|avoid|without|refuse to|exclude|excluding|except|redact|strip|mask)\b|\bnicht\b|\bkein|\bne\b|\bno\b|\bnão\b|\bnon\b|\bне\b|不要|不|しない|ないで)\s*(?:\S+\s+){0,3}$/iu;

/** Protective context: the text tells the model to keep secrets out. */
export const PROTECTIVE =
  /\b(?:sensitive|confidential|redact\w*|mask\w*|sanitiz\w*|never (?:log|store|share|expose|include)|do not (?:include|share|send|log|store|expose|paste|put)|avoid (?:including|sharing|sending|putting)|must not contain|should not contain|not be (?:included|shared|logged))\b/i;

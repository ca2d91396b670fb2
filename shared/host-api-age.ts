// Part of the host API (see host-api.ts): the age identity the app uses to open encrypted captures
// (`export --encrypt-to`) found in the captures folder. Only the identity file's path is saved (in
// the data directory); its keys are read into the engine's memory, never sent to the UI or stored.

export interface EncryptedCapture {
  /** File name in the captures folder (or captures/imported). */
  name: string;
  /** Why it is not in the library (no identity set, not one of its recipients, damaged…). */
  reason: string;
}

export interface AgeIdentityInfo {
  /** The identity file in use, if one is set. */
  path?: string;
  /** The age1… recipients of its keys (public, for the user to check). */
  recipients: string[];
  /** Encrypted captures the library could not open, with why. */
  locked: EncryptedCapture[];
  /** Encrypted captures opened with the identity. */
  opened: number;
  /** A saved identity path that can no longer be used, and why. */
  problem?: string;
}

export interface AgeCommands {
  getAgeIdentity: { args: undefined; result: AgeIdentityInfo };
  /** Set (path) or forget (null) the identity file, then list the folder's encrypted captures again. */
  setAgeIdentity: { args: { path: string | null }; result: AgeIdentityInfo };
  /**
   * Import an encrypted capture the user picked (bytes as base64): kept under captures/imported/
   * (0600) and opened with the identity if one is set. `sessionId` when it opened.
   */
  importEncrypted: {
    args: { name: string; b64: string };
    result: { sessionId?: string; info: AgeIdentityInfo };
  };
}

export const AGE_COMMAND_FLAGS: Record<keyof AgeCommands, true> = {
  getAgeIdentity: true,
  setAgeIdentity: true,
  importEncrypted: true,
};

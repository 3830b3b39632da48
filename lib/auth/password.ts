import bcrypt from "bcryptjs";

// Cost 11: ~150 ms per hash in pure JS on these machines; slow for guessing, fine for humans.
const BCRYPT_COST = 11;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

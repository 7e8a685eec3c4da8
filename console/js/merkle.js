// Checks an inclusion proof in the browser (RFC 9162 section 2.1.3.2), with the page's own
// SHA-256, so the user need not take the register's word for it.

const hex = bytes => [...new Uint8Array(bytes)].map(b => b.toString(16).padStart(2, '0')).join('');

function bytesOf(hexText) {
  const out = new Uint8Array(hexText.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hexText.substr(i * 2, 2), 16);
  return out;
}

async function sha256(...parts) {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

/** Whether the page can hash (WebCrypto exists only in secure contexts: https, localhost). */
export const canCheck = () => Boolean(globalThis.crypto && crypto.subtle);

/**
 * {ok, reason}: the proof's leaf is the transaction id, and its path leads from the leaf to
 * `merkleRoot`.
 */
export async function checkInclusion(proof, txId) {
  const leaf = await sha256(Uint8Array.of(0), bytesOf(txId));
  if (hex(leaf) !== proof.leafHash) return { ok: false, reason: 'the leaf hash is not that of the transaction id' };
  let fn = proof.leafIndex;
  let sn = proof.treeSize - 1;
  if (fn < 0 || fn > sn) return { ok: false, reason: 'the leaf index is outside the tree' };
  let r = leaf;
  for (const step of proof.path) {
    const p = bytesOf(step);
    if (sn === 0) return { ok: false, reason: 'the path is longer than the tree is deep' };
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(Uint8Array.of(1), p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await sha256(Uint8Array.of(1), r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return { ok: false, reason: 'the path is shorter than the tree is deep' };
  if (hex(r) !== proof.merkleRoot) return { ok: false, reason: 'the path does not lead to the docket’s Merkle root' };
  return { ok: true };
}

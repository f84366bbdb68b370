// `btctrace verify <manifest>`: exit 0 when every listed file still has its recorded sha256.
import { manifestCheckText, verifyManifest } from '../output/manifest-verify.js';
import type { IO } from './io.js';
import { safeLines } from '../output/escape.js';

export async function runVerifyCommand(manifest: string, io: IO): Promise<number> {
  const check = await verifyManifest(manifest);
  // file names come from the manifest, a file that may have been edited: escaped on the terminal
  io.stdout(safeLines(manifestCheckText(check)));
  return check.ok ? 0 : 1;
}

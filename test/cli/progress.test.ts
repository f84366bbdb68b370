import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.js';
import { captureIO } from './helpers.js';

describe('progress on stderr', () => {
  it('draws one self-overwriting line on a terminal and clears it before warnings and at the end', () => {
    const io = captureIO();
    io.stderrIsTTY = true;
    const p = new Progress(io, false);
    p.update('3 transactions, 7 requests');
    p.warn('history cut');
    p.done();
    expect(io.err).toBe('\r\x1b[2K3 transactions, 7 requests\r\x1b[2Kwarning: history cut\n');
  });
  it('shows no progress when stderr is not a terminal, but still warnings', () => {
    const io = captureIO();
    const p = new Progress(io, false);
    p.update('3 transactions');
    p.warn('history cut');
    p.done();
    expect(io.err).toBe('warning: history cut\n');
  });
  it('is silent with --quiet', () => {
    const io = captureIO();
    io.stderrIsTTY = true;
    const p = new Progress(io, true);
    p.update('x');
    p.warn('y');
    p.done();
    expect(io.err).toBe('');
  });
});

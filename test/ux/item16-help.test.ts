// Issue 9 item 16, through the built CLI: the --help of every subcommand (report and cache
// included) starts with two or three examples of that command and lists the exit codes.
import { describe, expect, it } from 'vitest';
import { runBin } from '../cli/helpers.js';

const COMMANDS = [
  'trace',
  'batch',
  'address',
  'cluster',
  'tx',
  'report',
  'verify',
  'cache',
  'cache stats',
  'cache clear',
  'exposure',
  'requests',
];

// `labels` and its subcommands: examples first, then their own exit codes (import's 1 is its own).
const LABELS = ['labels', 'labels import', 'labels list', 'labels stats', 'labels remove', 'labels export'];

describe('--help of every subcommand', () => {
  for (const cmd of COMMANDS) {
    it(`${cmd}: 2-3 examples first, exit codes listed`, () => {
      const r = runBin([...cmd.split(' '), '--help']);
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines[0]).toBe('Examples:');
      const examples = lines.slice(1, lines.indexOf(''));
      expect(examples.length).toBeGreaterThanOrEqual(2);
      expect(examples.length).toBeLessThanOrEqual(3);
      const name = cmd.split(' ')[0]!;
      for (const e of examples) expect(e).toMatch(new RegExp(`^  \\$ (.+ \\| )?btctrace ${name}( |$)`));
      expect(r.stdout).toContain(
        'Exit codes: 0 ok; 1 network/explorer failure or partial result (still written, marked PARTIAL); 2 bad input; 130 interrupted (Ctrl-C).',
      );
    });
  }

  for (const cmd of LABELS) {
    it(`${cmd}: 2-3 examples first, exit codes listed`, () => {
      const r = runBin([...cmd.split(' '), '--help']);
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines[0]).toBe('Examples:');
      const examples = lines.slice(1, lines.indexOf(''));
      expect(examples.length).toBeGreaterThanOrEqual(2);
      expect(examples.length).toBeLessThanOrEqual(3);
      for (const e of examples) expect(e).toMatch(/^ {2}\$ btctrace labels /);
      expect(r.stdout).toMatch(/\nExit codes: 0 ok[ ;]/);
    });
  }

  it('every subcommand the program lists is covered here', () => {
    const top = runBin(['--help']).stdout;
    const listed = [...top.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(listed.sort()).toEqual([...COMMANDS, 'labels'].filter((c) => !c.includes(' ')).sort());
  });
});

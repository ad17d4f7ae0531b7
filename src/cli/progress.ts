/**
 * A one-line progress bar on stderr (only when stderr is a terminal; otherwise a line per 10%).
 *
 * @example
 * const bar = progressBar('importing'); bar.update(0.5, '5,000 rows'); bar.done('10,000 rows');
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const tty = Boolean(stream.isTTY);
  let lastDecile = -1;
  let lastDraw = 0;
  const started = Date.now();
  const draw = (f: number, note = '') => {
    const pct = Math.max(0, Math.min(1, f));
    if (tty) {
      const now = Date.now();
      if (now - lastDraw < 80 && pct < 1) return;
      lastDraw = now;
      const width = 30;
      const fill = Math.round(pct * width);
      stream.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(pct * 100).toFixed(0).padStart(3)}% ${note}\x1b[K`);
    } else {
      const decile = Math.floor(pct * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${label}: ${(pct * 100).toFixed(0)}% ${note}\n`);
      }
    }
  };
  return {
    update: draw,
    done(note = '') {
      draw(1, note);
      if (tty) stream.write(`\n`);
      return (Date.now() - started) / 1000;
    },
  };
}

import { createSweepProgress, type SweepEvent } from '@emerge/core';

/** Formats milliseconds as m:ss. */
export function formatDuration(milliseconds: number): string {
  const totalSeconds = Math.round(milliseconds / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  return `${minutes}:${String(totalSeconds % 60).padStart(2, '0')}`;
}

/**
 * One progress bar per figure on a terminal: runs done/total and an ETA, redrawn in place. When
 * `write` is undefined (not a TTY, or `--json`) it stays silent.
 */
export function createProgressLine(label: string, write: ((text: string) => void) | undefined) {
  const progress = createSweepProgress();
  const width = 24;
  const draw = (final: boolean) => {
    if (!write) return;
    const { runCount, cachedCount, computedCount, runningCount, etaMs } = progress.snapshot();
    const done = cachedCount + computedCount;
    const filled = runCount === 0 ? width : Math.round((width * done) / runCount);
    const eta = final ? '' : etaMs === undefined ? '  ETA --:--' : `  ETA ${formatDuration(etaMs)}`;
    const running = final || runningCount === 0 ? '' : `  (${runningCount} running)`;
    write(
      `\r${label.padEnd(20)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${runCount} runs${eta}${running}\x1b[K${final ? '\n' : ''}`,
    );
  };
  return {
    onEvent(event: SweepEvent) {
      progress.update(event);
      draw(event.type === 'sweep-finish');
    },
  };
}

/**
 * Holds a figure's progress events until `show()`, then draws them and every later one: a figure's sweep
 * may start on processes the previous figure left idle, while the previous figure's line is still drawn.
 */
export function deferProgressLine(line: { onEvent(event: SweepEvent): void }) {
  let shown = false;
  const held: SweepEvent[] = [];
  return {
    onEvent(event: SweepEvent) {
      if (shown) line.onEvent(event);
      else held.push(event);
    },
    show() {
      shown = true;
      for (const event of held.splice(0)) line.onEvent(event);
    },
  };
}

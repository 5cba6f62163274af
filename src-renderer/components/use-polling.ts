// Runs a task now and again `intervalMs` after each run finishes, while enabled and
// mounted. Runs never overlap; a hidden page skips ticks.
import { useEffect, useRef } from 'react';

export function usePolling(task: () => Promise<void>, intervalMs: number, enabled: boolean): void {
  const taskRef = useRef(task);
  useEffect(() => {
    taskRef.current = task;
  });

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        if (!document.hidden) await taskRef.current();
      } finally {
        if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
      }
    };
    void tick();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [enabled, intervalMs]);
}

// A shell inside the running container, drawn by xterm.js. Keys go out as terminal.input
// (split to the contract's size), output comes back as terminal.output events meant for
// this window only; the shell ends when the tab closes. Ctrl+] hands focus back to the page.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { MAX_TERMINAL_INPUT, parseEvent } from '../../../src-shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../../src-shared/errors';
import type { Instance } from '../../../src-shared/model';
import { call } from '../../api/call';
import { getApi } from '../../api/get-api';
import { useT } from '../../i18n/i18n';
import { errorMessage } from '../../i18n/error-text';
import { textChunks } from '../../../src-shared/text-chunks';

type Phase = 'opening' | 'open' | 'ended';

export function TerminalTab({ instance, onLeave }: { instance: Instance; onLeave: () => void }) {
  const t = useT();
  const host = useRef<HTMLDivElement>(null);
  const [phase, setPhase] = useState<Phase>('opening');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [round, setRound] = useState(0);
  const running = instance.state === 'running';
  const leave = useRef(onLeave);
  leave.current = onLeave;

  useEffect(() => {
    const element = host.current;
    if (!running || !element) return;
    const term = new Terminal({ convertEol: false, cursorBlink: true, fontSize: 13, scrollback: 2000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    fit.fit();
    // Ctrl+] (telnet's escape) leaves the terminal: every other key, Tab included, is the shell's.
    term.attachCustomKeyEventHandler((event) => {
      if (event.type === 'keydown' && event.ctrlKey && event.key === ']') {
        leave.current();
        return false;
      }
      return true;
    });
    let terminalId: string | null = null;
    let closed = false;
    // Output that arrives before the open request answers waits here.
    const early: { terminalId: string; data: string }[] = [];
    setPhase('opening');
    setError(null);

    const unsubscribe = getApi().onEvent((received) => {
      if (received.event !== 'terminal.output' && received.event !== 'terminal.exit') return;
      const event = parseEvent(received.event, received.payload);
      if (!event) return;
      if (event.event === 'terminal.output') {
        if (terminalId === null) early.push(event.payload);
        else if (event.payload.terminalId === terminalId) term.write(event.payload.data);
      } else if (event.event === 'terminal.exit' && event.payload.terminalId === terminalId) {
        setPhase('ended');
      }
    });

    const send = (data: string) => {
      if (terminalId === null) return;
      for (const chunk of textChunks(data, MAX_TERMINAL_INPUT)) void call('terminal.input', { terminalId, data: chunk }).catch(() => undefined);
    };
    const typed = term.onData(send);
    const resized = term.onResize(({ cols, rows }) => {
      if (terminalId !== null) void call('terminal.resize', { terminalId, cols: Math.max(2, cols), rows: Math.max(2, rows) }).catch(() => undefined);
    });
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element);

    call('terminal.open', { instanceId: instance.id, cols: Math.max(2, term.cols), rows: Math.max(2, term.rows) }).then(
      (opened) => {
        if (closed) {
          void call('terminal.close', { terminalId: opened.terminalId }).catch(() => undefined);
          return;
        }
        terminalId = opened.terminalId;
        for (const chunk of early) if (chunk.terminalId === terminalId) term.write(chunk.data);
        early.length = 0;
        setPhase('open');
        term.focus();
      },
      (err) => {
        if (closed) return;
        setError(toErrorInfo(err));
        setPhase('ended');
      },
    );

    return () => {
      closed = true;
      observer.disconnect();
      typed.dispose();
      resized.dispose();
      unsubscribe();
      if (terminalId !== null) void call('terminal.close', { terminalId }).catch(() => undefined);
      term.dispose();
    };
  }, [instance.id, running, round]);

  if (!running) return <p className="muted">{t('terminal.whileRunning')}</p>;
  return (
    <div className="terminal-tab" data-testid="terminal-tab" data-phase={phase}>
      <p className="muted terminal-hint">{t('terminal.keysHint')}</p>
      <div ref={host} className="terminal-host" data-testid="terminal" role="group" aria-label={t('terminal.label', { name: instance.name })} />
      <p className="muted" role="status" data-testid="terminal-status">
        {error ? errorMessage(error) : phase === 'opening' ? t('terminal.opening') : phase === 'ended' ? t('terminal.ended') : ''}
      </p>
      {phase === 'ended' ? (
        <button type="button" className="button button-secondary button-small" data-testid="terminal-reopen" onClick={() => setRound((n) => n + 1)}>
          {t('terminal.reopen')}
        </button>
      ) : null}
    </div>
  );
}

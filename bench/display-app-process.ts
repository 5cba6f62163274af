// The app's display path in a process of its own, for the benchmark's "in-app" figures: the
// tunnel and the embedded gateway together, as the app's main process runs them
// (DisplayService with no guacd), while the benchmark process plays the renderer's viewer.
// Over the IPC channel: {host, port, password, width, height} in, {url} (the tunnel URL with a
// ticket) out; 'ready' once started. Stdout is guacamole-lite's log.
import { DisplayService } from '../src-main/display/display-service';

interface TicketRequest {
  host: string;
  port: number;
  password: string;
  width: number;
  height: number;
}

async function main(): Promise<void> {
  const display = await DisplayService.start({ connectRetries: 0 });
  process.on('message', (r: TicketRequest) => {
    const ticket = display.issueTicket('bench', { host: r.host, port: r.port, password: r.password }, {}, { guacd: 'embedded' });
    process.send!({ url: `${ticket.tunnelUrl}?token=${encodeURIComponent(ticket.token)}&width=${r.width}&height=${r.height}&dpi=96` });
  });
  process.once('disconnect', () => void display.close().then(() => process.exit(0)));
  process.send!('ready');
}

void main();

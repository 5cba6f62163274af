// A viewer's `file,<stream>,<mimetype>,<filename>` stream (guacamole-common-js
// Client.createFileStream) into the instance's desktop, through the connection's file grant:
// refused outright without one or with uploads off; otherwise written blob by blob.
import { errorText } from '../../../src-shared/error-texts';
import { FileTransferError, isUsableFileName, type DesktopUpload } from '../files/desktop-files';
import type { FileGrant } from '../files/file-grants';
import { GuacStatus, GuacStatusError } from './status';
import { InboundStreams, StreamWriter, WRITTEN_STREAM_LIMITS } from './streams';

/** Opens the upload (or acks the refusal) of one `file` stream. */
export function openFileStream(streams: InboundStreams, grant: FileGrant | undefined, stream: string, filename: string | undefined): void {
  const name = filename ?? '';
  const refuse = (message: string, status: number) => streams.refuse(stream, new GuacStatusError(message, status as GuacStatusError['status']));
  if (!grant) return refuse(errorText('error.files.unsupported').text, GuacStatus.UNSUPPORTED);
  if (!grant.upload) return refuse(errorText('error.files.uploadOff').text, GuacStatus.CLIENT_FORBIDDEN);
  if (!isUsableFileName(name)) return refuse(errorText('error.files.badName', { name: name.slice(0, 300) }).text, GuacStatus.CLIENT_BAD_REQUEST);
  streams.acceptWriter(stream, 'file', () => uploadWriter(grant, name), {
    maxBytes: grant.maxBytes,
    overLimit: errorText('error.files.tooLarge', { name, maxMiB: Math.floor(grant.maxBytes / (1024 * 1024)) }).text,
    overrun: errorText('error.files.overrun', { name }).text,
    tooMany: errorText('error.files.tooMany', { max: WRITTEN_STREAM_LIMITS.file.maxOpen }).text,
  });
}

function uploadWriter(grant: FileGrant, name: string): StreamWriter {
  const toStatus = (err: unknown): GuacStatusError => statusOf(err, name, grant.folder);
  const upload: Promise<DesktopUpload> = grant.files.upload(grant.instanceId, grant.folder, name).catch((err: unknown) => {
    throw toStatus(err);
  });
  return {
    opened: upload.then(() => undefined),
    async write(data) {
      await (await upload).write(data).catch((err: unknown) => {
        throw toStatus(err);
      });
    },
    async end() {
      // The final ack's message is the name the file got (it differs after a clash).
      return (await upload).finish().catch((err: unknown) => {
        throw toStatus(err);
      });
    },
    abort: () =>
      upload.then(
        (u) => u.abort(),
        () => undefined,
      ),
  };
}

function statusOf(err: unknown, name: string, folder: string): GuacStatusError {
  if (err instanceof GuacStatusError) return err;
  if (!(err instanceof FileTransferError)) {
    return new GuacStatusError(errorText('error.files.failed', { name, detail: String((err as Error)?.message ?? err) }).text, GuacStatus.SERVER_ERROR);
  }
  if (err.text) return new GuacStatusError(err.text.text, GuacStatus.UNSUPPORTED);
  switch (err.reason) {
    case 'no-space':
      return new GuacStatusError(errorText('error.files.noSpace', { name }).text, GuacStatus.SERVER_ERROR);
    case 'read-only':
      return new GuacStatusError(errorText('error.files.readOnly', { name, folder }).text, GuacStatus.CLIENT_FORBIDDEN);
    case 'gone':
      return new GuacStatusError(errorText('error.files.desktopGone', { name }).text, GuacStatus.RESOURCE_NOT_FOUND);
    default:
      return new GuacStatusError(errorText('error.files.failed', { name, detail: err.detail }).text, GuacStatus.SERVER_ERROR);
  }
}

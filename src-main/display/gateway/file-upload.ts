// A viewer's `file,<stream>,<mimetype>,<filename>` stream (guacamole-common-js
// Client.createFileStream) into the instance's desktop, through the connection's file grant:
// refused outright without one or with uploads off; otherwise written blob by blob. A stream of
// a folder upload (src-shared/file-transfer.ts) goes into the new folder its drop got.
import { errorText } from '../../../src-shared/error-texts';
import { fileDetails, folderUploadOf } from '../../../src-shared/file-transfer';
import { FileTransferError, isUsableFileName, type DesktopUpload } from '../files/desktop-files';
import type { FileGrant } from '../files/file-grants';
import { GuacStatus, GuacStatusError } from './status';
import { InboundStreams, StreamWriter, WRITTEN_STREAM_LIMITS } from './streams';

/** Sub-folders a folder upload may go down (a path's parts, the file's name included). */
const MAX_FOLDER_DEPTH = 32;
/** Top folders of drops a viewer's connection remembers: a drop's files may arrive over minutes. */
const MAX_REMEMBERED_FOLDERS = 64;

/** Where a viewer's folder uploads go: each drop's top folder made once, its name kept for the drop's other files. */
export class FolderUploads {
  private readonly made = new Map<string, Promise<string>>();

  /** The name the top folder `top` of drop `drop` got in the transfer folder (made by the first of its files). */
  topFolder(grant: FileGrant, drop: string, top: string): Promise<string> {
    const key = `${drop}/${top}`;
    let made = this.made.get(key);
    if (!made) {
      made = grant.files.makeFolder(grant.instanceId, grant.folder, top);
      this.made.set(key, made);
      // A failed make is not remembered: the drop's next file tries again (and says why).
      made.catch(() => this.made.delete(key));
      if (this.made.size > MAX_REMEMBERED_FOLDERS) this.made.delete(this.made.keys().next().value!);
    }
    return made;
  }
}

/** Where a stream's file goes: a folder of the desktop, the name, and what the final name is shown under. */
interface UploadTarget {
  folder: string;
  name: string;
  /** "project (1)/src/" for a folder upload's file; '' for a single file. */
  prefix: string;
}

/** Opens the upload (or acks the refusal) of one `file` stream. */
export function openFileStream(
  streams: InboundStreams,
  grant: FileGrant | undefined,
  stream: string,
  mimetype: string | undefined,
  filename: string | undefined,
  folders: FolderUploads,
): void {
  const name = filename ?? '';
  const refuse = (message: string, status: number) => streams.refuse(stream, new GuacStatusError(message, status as GuacStatusError['status']));
  if (!grant) return refuse(errorText('error.files.unsupported').text, GuacStatus.UNSUPPORTED);
  if (!grant.upload) return refuse(errorText('error.files.uploadOff').text, GuacStatus.CLIENT_FORBIDDEN);
  const drop = folderUploadOf(mimetype ?? '');
  const parts = drop === null ? [name] : name.split('/');
  const usable = parts.length <= MAX_FOLDER_DEPTH && (drop === null || parts.length >= 2) && parts.every(isUsableFileName);
  if (!usable) return refuse(errorText('error.files.badName', { name: name.slice(0, 300) }).text, GuacStatus.CLIENT_BAD_REQUEST);
  // The viewer announces the file's size ("; size=N"): over the limit is refused before a byte is sent.
  const size = fileDetails(mimetype ?? '').size ?? undefined;
  const tooLarge = errorText('error.files.tooLarge', { name, maxMiB: Math.floor(grant.maxBytes / (1024 * 1024)) }).text;
  if (size !== undefined && size > grant.maxBytes) return refuse(tooLarge, GuacStatus.CLIENT_OVERRUN);
  // Only once the stream is accepted: a refused one makes no folder.
  const target = async (): Promise<UploadTarget> => {
    if (drop === null) return { folder: grant.folder, name, prefix: '' };
    const within = [await folders.topFolder(grant, drop, parts[0]!), ...parts.slice(1, -1)].join('/');
    return { folder: `${grant.folder}/${within}`, name: parts.at(-1)!, prefix: `${within}/` };
  };
  streams.acceptWriter(stream, 'file', () => uploadWriter(grant, name, target(), size), {
    maxBytes: grant.maxBytes,
    overLimit: tooLarge,
    overrun: errorText('error.files.overrun', { name }).text,
    tooMany: errorText('error.files.tooMany', { max: WRITTEN_STREAM_LIMITS.file.maxOpen }).text,
  });
}

/** `asked`: the name the client gave (its path, for a folder upload's file), for messages until the target is known. */
function uploadWriter(grant: FileGrant, asked: string, target: Promise<UploadTarget>, size: number | undefined): StreamWriter {
  let prefix = '';
  let name = asked;
  const toStatus = (err: unknown): GuacStatusError => statusOf(err, name, grant.folder);
  const upload: Promise<DesktopUpload> = target
    .then((t) => {
      ({ prefix, name } = t);
      return grant.files.upload(grant.instanceId, t.folder, t.name, size);
    })
    .catch((err: unknown) => {
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
      // The final ack's message is the name the file got (it differs after a clash), with the
      // folder a folder upload's file went into.
      const final = await (await upload).finish().catch((err: unknown) => {
        throw toStatus(err);
      });
      return prefix + final;
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

// What a drop or a folder picker gives, as files with their paths in the dropped tree: a
// dropped folder is walked with the File and Directory Entries API (webkitGetAsEntry), a
// folder picked with <input webkitdirectory> carries each file's webkitRelativePath. A single
// file's path is just its name.

export interface PickedFile {
  file: File;
  /** "report.pdf", or "project/src/main.c" for a file of a dropped folder. */
  path: string;
}

/** Files one folder may yield at most: a drop of a huge tree must not freeze the page. */
const MAX_FILES = 10_000;

/** The files of a drop; the entries are taken now, while the drop event lasts, and read after. */
export function filesOfDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(transfer.items)
    .filter((item) => item.kind === 'file')
    .map((item) => ({ entry: item.webkitGetAsEntry(), file: item.getAsFile() }));
  return (async () => {
    const out: PickedFile[] = [];
    for (const { entry, file } of entries) {
      if (entry?.isDirectory) await walk(entry as FileSystemDirectoryEntry, entry.name, out);
      else if (file) out.push({ file, path: file.name });
    }
    return out;
  })();
}

/** The files of a file input: a folder picked with webkitdirectory gives each one's path in it. */
export function filesOfInput(files: FileList): PickedFile[] {
  return Array.from(files).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

async function walk(folder: FileSystemDirectoryEntry, path: string, out: PickedFile[]): Promise<void> {
  const reader = folder.createReader();
  // readEntries gives a batch at a time (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return;
    for (const entry of batch) {
      if (out.length >= MAX_FILES) return;
      const inner = `${path}/${entry.name}`;
      if (entry.isDirectory) await walk(entry as FileSystemDirectoryEntry, inner, out);
      else out.push({ file: await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)), path: inner });
    }
  }
}

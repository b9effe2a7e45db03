/** File storage: see file-service.ts (the service), blob-store.ts (the store interface), docs/ARCHITECTURE.md "File storage". */
export { BlobNotFoundError, type BlobStore, isBlobKey, newBlobKey, RETIRED_GRACE_MS } from './blob-store.ts';
export {
  createFileService,
  FILE_ALTERED_MESSAGE,
  FILE_MISSING_MESSAGE,
  FileService,
  type StoredFile,
  type StoreOptions,
} from './file-service.ts';
export { FILE_KINDS, type FileKind, sniffKind } from './kinds.ts';
export { sizeLimits } from './limits.ts';
export { LocalDirStore } from './local-dir-store.ts';
export { displayName, type ReceivedFile, receiveFile } from './upload.ts';

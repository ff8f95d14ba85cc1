/** class-transformer's metadata storage: shipped as JavaScript with its types under types/. */
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}

// Plain data shapes of the bound Go structs for shapes several areas share (internal/practice/types.go).
// The api layer checks them against the generated wailsjs/go/models.ts classes, so a
// change on the Go side that breaks these shapes fails `npm run check`.

export interface Address {
  line1: string;
  line2: string;
  city: string;
  state: string;
  zip: string;
}

/** A sealed document attached to a record (store.Document): a letter, a scan. */
export interface AttachedFile {
  id: string;
  ownerTable: string;
  ownerId: string;
  /** The name it came with (sealed: it may name a person). */
  name: string;
  /** 'application/pdf' | 'image/png' | 'image/jpeg', from its first bytes. */
  contentType: string;
  size: number;
}

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

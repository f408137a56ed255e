// The owner practice.spec.ts creates the practice as; sync.spec.ts, which
// runs on the same backend after it, signs in again as them.
export const OWNER = {
  practice: 'Maple Street Counseling',
  name: 'Dana Whitfield',
  username: 'dana',
  password: 'lantern orchard quietly 42',
};

/** Who is asking, from a verified ID token: a user, and whether they are an admin. */
export interface Caller {
  uid: string;
  admin: boolean;
}

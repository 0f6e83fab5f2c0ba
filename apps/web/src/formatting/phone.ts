/** A number grouped for reading; UK mobiles as `+44 7700 900001`, others as they are. */
export function formatPhoneNumber(number: string): string {
  const uk = /^\+44(7\d{3})(\d{6})$/.exec(number);
  return uk ? `+44 ${uk[1]} ${uk[2]}` : number;
}

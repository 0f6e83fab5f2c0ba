/** The demo shop's shelf and its made-up customers: enough to look like a shop, nothing more. */

export interface Product {
  sku: string;
  name: string;
  description: string;
  /** Major units, as a shop's backend sends prices (4.99). */
  unitPrice: number;
  /** The tile's colour. */
  hue: number;
}

export const SHOP_CURRENCY = 'USD';

export const PRODUCTS: readonly Product[] = [
  {
    sku: 'widget-blue',
    name: 'Blue widget',
    description: 'The classic. Fits most things.',
    unitPrice: 4.99,
    hue: 221,
  },
  {
    sku: 'widget-red',
    name: 'Red widget',
    description: 'Like the blue one, but faster.',
    unitPrice: 5.49,
    hue: 4,
  },
  {
    sku: 'sprockets',
    name: 'Sprocket set (12)',
    description: 'Assorted sizes, one spare.',
    unitPrice: 9.95,
    hue: 152,
  },
  {
    sku: 'gadget',
    name: 'Gadget deluxe',
    description: 'Does what it says on the box.',
    unitPrice: 24,
    hue: 271,
  },
];

export interface DemoCustomer {
  name: string;
  email: string;
  username: string;
  /** Optional; a call back from the chat goes to it. */
  phone: string;
}

const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Linus',
  'Margaret',
  'Tim',
  'Radia',
  'Dennis',
  'Frances',
];
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Torvalds',
  'Hamilton',
  'Berners-Lee',
  'Perlman',
  'Ritchie',
  'Allen',
];

/** A made-up customer with an example.com address (reserved: mail to it goes nowhere). */
export function aDemoCustomer(random: () => number = Math.random): DemoCustomer {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const first = pick(FIRST_NAMES);
  const last = pick(LAST_NAMES);
  const tag = String(1000 + Math.floor(random() * 9000));
  const handle = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
  // Ofcom's drama range (+44 7700 900xxx), as the phone simulator's numbers: nobody is ever called.
  const phone = `+447700900${String(Math.floor(random() * 1000)).padStart(3, '0')}`;
  return {
    name: `${first} ${last}`,
    email: `${handle}.${tag}@example.com`,
    username: `${handle}-${tag}`,
    phone,
  };
}

/** The shop's own check before it calls the API, which checks again. */
export function customerProblems(customer: DemoCustomer): Partial<Record<keyof DemoCustomer, string>> {
  const problems: Partial<Record<keyof DemoCustomer, string>> = {};
  if (customer.name.trim() === '') problems.name = 'Enter a name.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(customer.email.trim()))
    problems.email = 'Enter an email address, e.g. ada@example.com.';
  if (!/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/.test(customer.username.trim()))
    problems.username = 'Use 1 to 64 letters, digits or . _ @ + -, starting with a letter or digit.';
  if (customer.phone.trim() !== '' && !/^\+[1-9]\d{6,14}$/.test(customer.phone.replace(/[\s()-]/g, '')))
    problems.phone = 'Enter a number in international format, e.g. +447700900123, or leave it empty.';
  return problems;
}

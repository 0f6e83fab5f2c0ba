// The words the inbox benchmark's generated desk is made of: names, products and message texts.
// Texts are built here from templates with a seeded PRNG (so a seed gives the same pools), loaded into
// a staging table, and picked per message in SQL by a hash: a few thousand distinct bodies are enough
// for searches to behave as on a real desk (common words in many messages, rare ones in a few, phrases).

/** mulberry32: tiny, seeded, good enough to pick words. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// [shown, ascii for usernames and emails]. Accented names on purpose: search must find "José" as "jose".
export const FIRST_NAMES = [
  ['José', 'jose'],
  ['Zoë', 'zoe'],
  ['François', 'francois'],
  ['Chloé', 'chloe'],
  ['Björn', 'bjorn'],
  ['Siobhán', 'siobhan'],
  ['Łukasz', 'lukasz'],
  ['Renée', 'renee'],
  ['Inês', 'ines'],
  ['Søren', 'soren'],
  ['Ana', 'ana'],
  ['Olivia', 'olivia'],
  ['Amelia', 'amelia'],
  ['Isla', 'isla'],
  ['Ava', 'ava'],
  ['Mia', 'mia'],
  ['Emily', 'emily'],
  ['Grace', 'grace'],
  ['Sophie', 'sophie'],
  ['Lily', 'lily'],
  ['Oliver', 'oliver'],
  ['George', 'george'],
  ['Harry', 'harry'],
  ['Jack', 'jack'],
  ['Noah', 'noah'],
  ['Leo', 'leo'],
  ['Arthur', 'arthur'],
  ['Muhammad', 'muhammad'],
  ['Oscar', 'oscar'],
  ['Charlie', 'charlie'],
  ['Léa', 'lea'],
  ['Manon', 'manon'],
  ['Camille', 'camille'],
  ['Louise', 'louise'],
  ['Jade', 'jade'],
  ['Lucas', 'lucas'],
  ['Hugo', 'hugo'],
  ['Gabriel', 'gabriel'],
  ['Raphaël', 'raphael'],
  ['Théo', 'theo'],
  ['Priya', 'priya'],
  ['Aisha', 'aisha'],
  ['Wei', 'wei'],
  ['Yuki', 'yuki'],
  ['Mateo', 'mateo'],
  ['Sean', 'sean'],
  ['Niamh', 'niamh'],
  ['Dylan', 'dylan'],
  ['Freya', 'freya'],
  ['Erin', 'erin'],
];
export const LAST_NAMES = [
  ['Müller', 'muller'],
  ['García', 'garcia'],
  ['Núñez', 'nunez'],
  ['Ødegaard', 'odegaard'],
  ['Kowalski', 'kowalski'],
  ['Lefèvre', 'lefevre'],
  ['Dubois', 'dubois'],
  ['Schröder', 'schroder'],
  ['Özdemir', 'ozdemir'],
  ['Nguyễn', 'nguyen'],
  ['Smith', 'smith'],
  ['Jones', 'jones'],
  ['Taylor', 'taylor'],
  ['Brown', 'brown'],
  ['Williams', 'williams'],
  ['Wilson', 'wilson'],
  ['Johnson', 'johnson'],
  ['Davies', 'davies'],
  ['Robinson', 'robinson'],
  ['Wright', 'wright'],
  ['Thompson', 'thompson'],
  ['Evans', 'evans'],
  ['Walker', 'walker'],
  ['White', 'white'],
  ['Roberts', 'roberts'],
  ['Green', 'green'],
  ['Hall', 'hall'],
  ['Wood', 'wood'],
  ['Jackson', 'jackson'],
  ['Clarke', 'clarke'],
  ['Martin', 'martin'],
  ['Bernard', 'bernard'],
  ['Thomas', 'thomas'],
  ['Petit', 'petit'],
  ['Durand', 'durand'],
  ['Leroy', 'leroy'],
  ['Moreau', 'moreau'],
  ['Simon', 'simon'],
  ['Laurent', 'laurent'],
  ['Michel', 'michel'],
  ["O'Brien", 'obrien'],
  ['Murphy', 'murphy'],
  ['Kelly', 'kelly'],
  ['Patel', 'patel'],
  ['Khan', 'khan'],
  ['Singh', 'singh'],
  ['Chen', 'chen'],
  ['Rossi', 'rossi'],
  ['Fernández', 'fernandez'],
  ['Larsen', 'larsen'],
];
export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example', 'shop.example'];

export const AGENTS = [
  'Grace Hopper',
  'Ada Lovelace',
  'Alan Turing',
  'Katherine Johnson',
  'Margaret Hamilton',
  'Edsger Dijkstra',
  'Barbara Liskov',
  'Donald Knuth',
  'Frances Allen',
  'Tim Berners-Lee',
  'Radia Perlman',
  'Ken Thompson',
];

// Products customers write about (also sold) and products only sold, never written about: searching
// the latter finds a ticket only through its order.
export const PRODUCTS = [
  ['Widget', 499],
  ['Blue kettle', 2999],
  ['Desk lamp', 3450],
  ['Rain jacket', 8900],
  ['Running shoes', 7499],
  ['Phone case', 1299],
  ['Coffee grinder', 4599],
  ['Yoga mat', 2500],
  ['Backpack', 5900],
  ['Wireless earbuds', 6999],
  ['Wall clock', 1899],
  ['Toaster', 3299],
  ['Water bottle', 1599],
  ['Sunglasses', 4200],
  ['Throw blanket', 3900],
];
export const ORDER_ONLY_PRODUCTS = [
  ['Merino wool socks', 1450],
  ['Bamboo toothbrush', 399],
  ['Cast iron skillet', 3899],
  ['Linen napkins', 1799],
  ['Terracotta planter', 2299],
];

const QUESTIONS = [
  'where is my order {ord}?',
  'my parcel has not arrived yet',
  'I was charged twice for order {ord}',
  'can I get a refund for the {product}?',
  'the {product} arrived broken',
  'what is the tracking number for my order?',
  'I need to change my delivery address',
  'can you cancel my order please',
  'the wrong size was delivered',
  'how do I return the {product}?',
  'my discount code does not work',
  'the {product} is missing from the box',
  'can I swap the {product} for another colour?',
  'when will the {product} be back in stock?',
  'I never got the confirmation email for order {ord}',
  'the courier says delivered but nothing came',
  'can I pay by bank transfer?',
  'the {product} stopped working after {n} days',
  'I would like a refund please',
  'is there a warranty on the {product}?',
];
const OPENERS = ['Hi, ', 'Hello, ', 'Hi there, ', 'Good morning, ', 'Hey, ', '', 'Bonjour, ', 'Hallo, '];
const CUSTOMER_FOLLOWUPS = [
  'Thanks!',
  'ok',
  'Thank you so much',
  'Still nothing, it has been {n} days',
  'I sent a photo of the damaged {product}',
  'yes please',
  'The tracking number does not work',
  'Great, thanks for the quick help',
  'Any news on this?',
  'I am at home all day tomorrow',
  'Can you call me back?',
  'The refund has not arrived yet',
  'Merci beaucoup, très gentil',
  'Danke schön!',
  'It is order {ord}',
  'I already tried that',
  'The box was wet and the {product} is ruined',
  'Perfect, that works for me',
  'Can I get it delivered to my work address instead?',
  'no',
  'I paid with my card ending {n}{n}',
  'Is the café on the high street a pickup point?',
  'Please cancel it',
];
const AGENT_REPLIES = [
  'Thanks for your message, we are looking into it.',
  'Your parcel left our warehouse this morning.',
  'I have refunded {amount} to your card; it takes 3–5 working days.',
  'Could you send us a photo of the {product}?',
  'The tracking number is {track}.',
  'Sorry for the wait, the courier confirmed a new delivery date.',
  'I have changed the delivery address on order {ord}.',
  'Your order {ord} is cancelled and fully refunded.',
  'A replacement {product} is on its way.',
  'Please use the returns label in the box; the refund follows once it is back.',
  'The discount code has expired, but I have applied the same discount manually.',
  'Glad to help! Anything else?',
  'I am sorry about the damaged {product}, we will send a new one.',
  'The warranty on the {product} is two years.',
  'Could you confirm your postcode please?',
  'Thanks, I have passed this on to our warehouse team.',
];
// Words that occur in a handful of messages, and only there.
export const RARE_WORDS = [
  'quokka',
  'zeppelin',
  'marmalade',
  'xylophone',
  'kumquat',
  'narwhal',
  'origami',
  'saxophone',
  'yurt',
  'wombat',
];

function fill(template, random, extra = {}) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  return template
    .replace(/\{ord\}/g, () => String(100000 + Math.floor(random() * 900000)))
    .replace(/\{product\}/g, () => pick(PRODUCTS)[0].toLowerCase())
    .replace(/\{n\}/g, () => String(2 + Math.floor(random() * 12)))
    .replace(/\{amount\}/g, () => `£${(5 + random() * 120).toFixed(2)}`)
    .replace(/\{track\}/g, () => `JD${String(Math.floor(random() * 1e9)).padStart(9, '0')}GB`)
    .replace(/\{(\w+)\}/g, (_, key) => extra[key] ?? '');
}

const capitalise = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The pools of message bodies: `open` (a customer's first message), `customer`, `agent`, and `rare`
 * (one body per rare word, RARE_WORDS order). Deterministic for a seed.
 */
export function textPools(seed, size = 3000) {
  const random = prng(seed * 7919 + 17);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const pools = { open: [], customer: [], agent: [], rare: [] };
  for (let i = 0; i < size; i++) {
    const opener = pick(OPENERS);
    const question = fill(pick(QUESTIONS), random);
    pools.open.push(opener ? opener + question : capitalise(question));
    pools.customer.push(fill(pick(CUSTOMER_FOLLOWUPS), random));
    pools.agent.push(fill(pick(AGENT_REPLIES), random));
  }
  for (const word of RARE_WORDS) {
    pools.rare.push(
      `Funny thing, the ${word} on the box made my day. ${capitalise(fill(pick(QUESTIONS), random))}`,
    );
  }
  return pools;
}

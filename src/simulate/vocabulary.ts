/**
 * The words the demo store is made of: categories, product types with their price ranges and intended
 * uses, brands, colours and the bilingual (English / Spanish) phrases used in titles and descriptions.
 * Pure data; every brand, model line, place and person here is invented.
 */

import type { Lang } from '../text/text.ts';

export type { Lang };
export interface Text {
  en: string;
  es: string;
}

export const CATEGORIES = ['electronics', 'sport', 'fashion', 'home', 'books'] as const;
export type Category = (typeof CATEGORIES)[number];

/** How much of the catalog each category takes. */
export const CATEGORY_SHARE: Record<Category, number> = {
  electronics: 0.22,
  sport: 0.2,
  fashion: 0.25,
  home: 0.2,
  books: 0.13,
};

export const CATEGORY_NAMES: Record<Category, Text> = {
  electronics: { en: 'Electronics', es: 'Electrónica' },
  sport: { en: 'Sport', es: 'Deporte' },
  fashion: { en: 'Fashion', es: 'Moda' },
  home: { en: 'Home', es: 'Hogar' },
  books: { en: 'Books', es: 'Libros' },
};

/** Intended uses: the slug is what goes in attributes and tags; the text completes "designed for …". */
export const USES = {
  running: { en: 'running', es: 'correr' },
  trail: { en: 'trail running', es: 'correr por montaña' },
  gym: { en: 'the gym', es: 'el gimnasio' },
  fitness: { en: 'fitness tracking', es: 'seguir tu actividad física' },
  yoga: { en: 'yoga and pilates', es: 'yoga y pilates' },
  cycling: { en: 'cycling', es: 'salir en bici' },
  commuting: { en: 'commuting', es: 'moverte por la ciudad' },
  hiking: { en: 'hiking', es: 'hacer senderismo' },
  outdoor: { en: 'the outdoors', es: 'el aire libre' },
  travel: { en: 'travel', es: 'viajar' },
  office: { en: 'the office', es: 'la oficina' },
  gaming: { en: 'gaming', es: 'jugar' },
  music: { en: 'listening to music', es: 'escuchar música' },
  party: { en: 'parties', es: 'las fiestas' },
  home: { en: 'everyday life at home', es: 'el día a día en casa' },
  kitchen: { en: 'the kitchen', es: 'la cocina' },
  bedroom: { en: 'the bedroom', es: 'el dormitorio' },
  reading: { en: 'reading', es: 'leer' },
  casual: { en: 'everyday wear', es: 'el día a día' },
  study: { en: 'learning', es: 'aprender' },
  kids: { en: 'children', es: 'los más pequeños' },
} as const satisfies Record<string, Text>;
export type Use = keyof typeof USES;

export const COLOURS = {
  black: { en: 'Black', es: 'Negro' },
  white: { en: 'White', es: 'Blanco' },
  grey: { en: 'Grey', es: 'Gris' },
  navy: { en: 'Navy', es: 'Azul marino' },
  blue: { en: 'Blue', es: 'Azul' },
  red: { en: 'Red', es: 'Rojo' },
  green: { en: 'Green', es: 'Verde' },
  beige: { en: 'Beige', es: 'Beige' },
  pink: { en: 'Pink', es: 'Rosa' },
  yellow: { en: 'Yellow', es: 'Amarillo' },
  brown: { en: 'Brown', es: 'Marrón' },
  silver: { en: 'Silver', es: 'Plateado' },
} as const satisfies Record<string, Text>;
export type Colour = keyof typeof COLOURS;

export const PALETTES: Record<Category, Colour[]> = {
  electronics: ['black', 'white', 'grey', 'silver', 'blue', 'red'],
  sport: ['black', 'blue', 'red', 'green', 'yellow', 'grey', 'pink'],
  fashion: ['black', 'white', 'navy', 'beige', 'red', 'green', 'brown', 'pink', 'grey'],
  home: ['white', 'grey', 'beige', 'green', 'navy', 'brown', 'black', 'yellow'],
  books: [],
};

export type Tier = 'budget' | 'mid' | 'premium';
export interface Brand {
  name: string;
  category: Category;
  tier: Tier;
}

export const BRANDS: Brand[] = [
  { name: 'Sonora', category: 'electronics', tier: 'premium' },
  { name: 'Voltix', category: 'electronics', tier: 'mid' },
  { name: 'Nimbo', category: 'electronics', tier: 'budget' },
  { name: 'Kairo', category: 'electronics', tier: 'premium' },
  { name: 'Pixelia', category: 'electronics', tier: 'mid' },
  { name: 'Veloz', category: 'sport', tier: 'mid' },
  { name: 'Cumbre', category: 'sport', tier: 'premium' },
  { name: 'Stride', category: 'sport', tier: 'budget' },
  { name: 'Brío', category: 'sport', tier: 'mid' },
  { name: 'Northpeak', category: 'sport', tier: 'premium' },
  { name: 'Lúa', category: 'fashion', tier: 'premium' },
  { name: 'Norte', category: 'fashion', tier: 'mid' },
  { name: 'Brisa', category: 'fashion', tier: 'budget' },
  { name: 'Marea', category: 'fashion', tier: 'mid' },
  { name: 'Urbano', category: 'fashion', tier: 'budget' },
  { name: 'Olmo', category: 'home', tier: 'premium' },
  { name: 'Nido', category: 'home', tier: 'mid' },
  { name: 'Lumen', category: 'home', tier: 'mid' },
  { name: 'Casa Clara', category: 'home', tier: 'budget' },
  { name: 'Barro', category: 'home', tier: 'budget' },
  { name: 'Editorial Faro', category: 'books', tier: 'mid' },
  { name: 'Quill & Page', category: 'books', tier: 'mid' },
  { name: 'Ediciones Alba', category: 'books', tier: 'budget' },
  { name: 'Northwind Press', category: 'books', tier: 'premium' },
];

/** Where in its type's price range a brand of each tier usually sits (0 = cheapest, 1 = dearest). */
export const TIER_PRICE_LEVEL: Record<Tier, number> = { budget: 0.2, mid: 0.45, premium: 0.75 };

/** Model line names, combined with a suffix into "Pulse 3", "Aura Pro"… */
export const LINES = [
  'Pulse',
  'Aura',
  'Nova',
  'Flux',
  'Terra',
  'Zen',
  'Orbit',
  'Drift',
  'Volt',
  'Luma',
  'Sierra',
  'Atlas',
  'Echo',
  'Vela',
  'Kai',
  'Alma',
  'Rumbo',
  'Nube',
  'Polar',
  'Solaz',
];
export const LINE_SUFFIXES = ['', '', '2', '3', 'Pro', 'Lite', 'Max', 'Air', 'X'];

export interface ProductType {
  slug: string;
  category: Category;
  /** The noun as it appears in a title: "Running Shoes" / "Zapatillas de running". */
  name: Text;
  /** Lower-case word a shopper would type in a search box. */
  keyword: Text;
  /** Typical price range in EUR. */
  price: [number, number];
  uses: Use[];
  /** A qualifier: English goes before the noun, Spanish after it (already agreeing with the noun). */
  variants: Text[];
  /** Whole sentences for descriptions. */
  features: Text[];
  /** Relative demand: some types sell more than others. */
  demand: number;
}

export const PRODUCT_TYPES: ProductType[] = [
  // Electronics
  {
    slug: 'headphones',
    category: 'electronics',
    demand: 1.4,
    name: { en: 'Headphones', es: 'Auriculares' },
    keyword: { en: 'headphones', es: 'auriculares' },
    price: [19, 349],
    uses: ['music', 'running', 'gaming', 'travel', 'office'],
    variants: [
      { en: 'Wireless', es: 'inalámbricos' },
      { en: 'Noise-Cancelling', es: 'con cancelación de ruido' },
      { en: 'Over-Ear', es: 'de diadema' },
      { en: 'Sports', es: 'deportivos' },
    ],
    features: [
      { en: 'Up to 30 hours of battery life.', es: 'Hasta 30 horas de batería.' },
      { en: 'Soft memory-foam cushions for long sessions.', es: 'Almohadillas de espuma viscoelástica para sesiones largas.' },
      { en: 'Built-in microphone for calls.', es: 'Micrófono integrado para llamadas.' },
      { en: 'Sweat- and splash-resistant.', es: 'Resistentes al sudor y a las salpicaduras.' },
    ],
  },
  {
    slug: 'speakers',
    category: 'electronics',
    demand: 1.0,
    name: { en: 'Speaker', es: 'Altavoz' },
    keyword: { en: 'speaker', es: 'altavoz' },
    price: [25, 399],
    uses: ['music', 'party', 'home', 'outdoor'],
    variants: [
      { en: 'Bluetooth', es: 'Bluetooth' },
      { en: 'Portable', es: 'portátil' },
      { en: 'Waterproof', es: 'resistente al agua' },
      { en: 'Smart', es: 'inteligente' },
    ],
    features: [
      { en: 'Deep bass from a compact body.', es: 'Graves profundos en un cuerpo compacto.' },
      { en: 'Pair two for stereo sound.', es: 'Empareja dos para sonido estéreo.' },
      { en: 'Twelve hours of playback on a charge.', es: 'Doce horas de reproducción con una carga.' },
    ],
  },
  {
    slug: 'smartwatches',
    category: 'electronics',
    demand: 0.9,
    name: { en: 'Smartwatch', es: 'Reloj inteligente' },
    keyword: { en: 'smartwatch', es: 'reloj inteligente' },
    price: [59, 499],
    uses: ['fitness', 'running', 'office', 'outdoor'],
    variants: [
      { en: 'GPS', es: 'con GPS' },
      { en: 'Fitness', es: 'deportivo' },
      { en: 'Classic', es: 'clásico' },
    ],
    features: [
      { en: 'Heart-rate and sleep tracking.', es: 'Mide el pulso y el sueño.' },
      { en: 'A week of battery life.', es: 'Una semana de batería.' },
      { en: 'Notifications from your phone on your wrist.', es: 'Las notificaciones del móvil en tu muñeca.' },
    ],
  },
  {
    slug: 'laptops',
    category: 'electronics',
    demand: 0.6,
    name: { en: 'Laptop', es: 'Portátil' },
    keyword: { en: 'laptop', es: 'portátil' },
    price: [399, 2199],
    uses: ['office', 'gaming', 'travel', 'study'],
    variants: [
      { en: 'Ultralight', es: 'ultraligero' },
      { en: 'Gaming', es: 'gaming' },
      { en: '14-inch', es: 'de 14 pulgadas' },
    ],
    features: [
      { en: '16 GB of memory and a fast SSD.', es: '16 GB de memoria y un SSD rápido.' },
      { en: 'A bright, anti-glare display.', es: 'Pantalla luminosa y antirreflejos.' },
      { en: 'All-day battery.', es: 'Batería para todo el día.' },
    ],
  },
  {
    slug: 'keyboards',
    category: 'electronics',
    demand: 0.7,
    name: { en: 'Keyboard', es: 'Teclado' },
    keyword: { en: 'keyboard', es: 'teclado' },
    price: [19, 189],
    uses: ['gaming', 'office'],
    variants: [
      { en: 'Mechanical', es: 'mecánico' },
      { en: 'Wireless', es: 'inalámbrico' },
      { en: 'Compact', es: 'compacto' },
    ],
    features: [
      { en: 'Quiet, responsive keys.', es: 'Teclas silenciosas y precisas.' },
      { en: 'Backlit for late nights.', es: 'Retroiluminado para trasnochar.' },
      { en: 'Spanish and English layouts.', es: 'Distribución española e inglesa.' },
    ],
  },
  // Sport
  {
    slug: 'running-shoes',
    category: 'sport',
    demand: 1.4,
    name: { en: 'Running Shoes', es: 'Zapatillas de running' },
    keyword: { en: 'running shoes', es: 'zapatillas de running' },
    price: [39, 219],
    uses: ['running', 'trail', 'gym'],
    variants: [
      { en: 'Trail', es: 'de trail' },
      { en: 'Cushioned', es: 'con amortiguación' },
      { en: 'Lightweight', es: 'ligeras' },
      { en: 'Racing', es: 'de competición' },
    ],
    features: [
      { en: 'Responsive foam midsole.', es: 'Mediasuela de espuma reactiva.' },
      { en: 'Grippy rubber outsole for wet roads.', es: 'Suela de goma con agarre en mojado.' },
      { en: 'Breathable mesh upper.', es: 'Empeine de malla transpirable.' },
    ],
  },
  {
    slug: 'yoga-mats',
    category: 'sport',
    demand: 0.9,
    name: { en: 'Yoga Mat', es: 'Esterilla de yoga' },
    keyword: { en: 'yoga mat', es: 'esterilla' },
    price: [15, 99],
    uses: ['yoga', 'gym', 'home'],
    variants: [
      { en: 'Non-Slip', es: 'antideslizante' },
      { en: 'Travel', es: 'de viaje' },
      { en: 'Extra-Thick', es: 'extragruesa' },
    ],
    features: [
      { en: 'Natural rubber with a non-slip finish.', es: 'Caucho natural con acabado antideslizante.' },
      { en: 'Comes with a carrying strap.', es: 'Incluye correa de transporte.' },
      { en: 'Easy to clean.', es: 'Fácil de limpiar.' },
    ],
  },
  {
    slug: 'bikes',
    category: 'sport',
    demand: 0.5,
    name: { en: 'Bike', es: 'Bicicleta' },
    keyword: { en: 'bike', es: 'bicicleta' },
    price: [249, 2999],
    uses: ['cycling', 'commuting', 'outdoor'],
    variants: [
      { en: 'Road', es: 'de carretera' },
      { en: 'Mountain', es: 'de montaña' },
      { en: 'City', es: 'urbana' },
      { en: 'Electric', es: 'eléctrica' },
    ],
    features: [
      { en: 'Light aluminium frame.', es: 'Cuadro ligero de aluminio.' },
      { en: 'Hydraulic disc brakes.', es: 'Frenos de disco hidráulicos.' },
      { en: 'Eighteen gears for any hill.', es: 'Dieciocho velocidades para cualquier cuesta.' },
    ],
  },
  {
    slug: 'backpacks',
    category: 'sport',
    demand: 0.8,
    name: { en: 'Hiking Backpack', es: 'Mochila de montaña' },
    keyword: { en: 'backpack', es: 'mochila' },
    price: [29, 199],
    uses: ['hiking', 'travel', 'outdoor'],
    variants: [
      { en: '30 L', es: 'de 30 L' },
      { en: 'Ultralight', es: 'ultraligera' },
      { en: 'Waterproof', es: 'impermeable' },
    ],
    features: [
      { en: 'Padded, adjustable back system.', es: 'Espalda acolchada y ajustable.' },
      { en: 'Rain cover included.', es: 'Funda para la lluvia incluida.' },
      { en: 'Pocket for a water bladder.', es: 'Bolsillo para bolsa de hidratación.' },
    ],
  },
  {
    slug: 'dumbbells',
    category: 'sport',
    demand: 0.6,
    name: { en: 'Dumbbell Set', es: 'Juego de mancuernas' },
    keyword: { en: 'dumbbells', es: 'mancuernas' },
    price: [25, 249],
    uses: ['gym', 'home'],
    variants: [
      { en: 'Adjustable', es: 'ajustable' },
      { en: 'Neoprene', es: 'de neopreno' },
    ],
    features: [
      { en: 'From 2 to 20 kg in seconds.', es: 'De 2 a 20 kg en segundos.' },
      { en: 'Comfortable anti-slip grip.', es: 'Agarre cómodo y antideslizante.' },
    ],
  },
  // Fashion
  {
    slug: 'jackets',
    category: 'fashion',
    demand: 1.1,
    name: { en: 'Jacket', es: 'Chaqueta' },
    keyword: { en: 'jacket', es: 'chaqueta' },
    price: [39, 299],
    uses: ['casual', 'travel', 'outdoor', 'office'],
    variants: [
      { en: 'Rain', es: 'impermeable' },
      { en: 'Denim', es: 'vaquera' },
      { en: 'Puffer', es: 'acolchada' },
      { en: 'Leather', es: 'de piel' },
    ],
    features: [
      { en: 'Water-repellent outer fabric.', es: 'Tejido exterior repelente al agua.' },
      { en: 'Two zipped pockets.', es: 'Dos bolsillos con cremallera.' },
      { en: 'Relaxed fit.', es: 'Corte holgado.' },
    ],
  },
  {
    slug: 'dresses',
    category: 'fashion',
    demand: 1.0,
    name: { en: 'Dress', es: 'Vestido' },
    keyword: { en: 'dress', es: 'vestido' },
    price: [25, 189],
    uses: ['casual', 'party', 'office'],
    variants: [
      { en: 'Summer', es: 'de verano' },
      { en: 'Midi', es: 'midi' },
      { en: 'Wrap', es: 'cruzado' },
      { en: 'Evening', es: 'de noche' },
    ],
    features: [
      { en: 'Flowing viscose fabric.', es: 'Tejido fluido de viscosa.' },
      { en: 'Adjustable waist tie.', es: 'Lazada ajustable en la cintura.' },
      { en: 'Lined, with hidden pockets.', es: 'Forrado y con bolsillos ocultos.' },
    ],
  },
  {
    slug: 'sneakers',
    category: 'fashion',
    demand: 1.2,
    name: { en: 'Sneakers', es: 'Zapatillas' },
    keyword: { en: 'sneakers', es: 'zapatillas' },
    price: [35, 179],
    uses: ['casual', 'commuting'],
    variants: [
      { en: 'Low-Top', es: 'bajas' },
      { en: 'Canvas', es: 'de lona' },
      { en: 'Leather', es: 'de piel' },
      { en: 'Retro', es: 'retro' },
    ],
    features: [
      { en: 'Cushioned insole for all-day comfort.', es: 'Plantilla acolchada para todo el día.' },
      { en: 'Rubber cupsole.', es: 'Suela de goma.' },
    ],
  },
  {
    slug: 'sweaters',
    category: 'fashion',
    demand: 0.9,
    name: { en: 'Sweater', es: 'Jersey' },
    keyword: { en: 'sweater', es: 'jersey' },
    price: [25, 149],
    uses: ['casual', 'office', 'travel'],
    variants: [
      { en: 'Wool', es: 'de lana' },
      { en: 'Cotton', es: 'de algodón' },
      { en: 'Cable-Knit', es: 'de ochos' },
      { en: 'Oversized', es: 'oversize' },
    ],
    features: [
      { en: 'Soft, warm knit.', es: 'Punto suave y cálido.' },
      { en: 'Ribbed cuffs and hem.', es: 'Puños y bajo de canalé.' },
    ],
  },
  {
    slug: 'jeans',
    category: 'fashion',
    demand: 1.0,
    name: { en: 'Jeans', es: 'Vaqueros' },
    keyword: { en: 'jeans', es: 'vaqueros' },
    price: [29, 129],
    uses: ['casual', 'commuting'],
    variants: [
      { en: 'Slim', es: 'slim' },
      { en: 'Straight', es: 'rectos' },
      { en: 'Wide-Leg', es: 'anchos' },
    ],
    features: [
      { en: 'Stretch organic cotton.', es: 'Algodón orgánico elástico.' },
      { en: 'Five pockets.', es: 'Cinco bolsillos.' },
    ],
  },
  // Home
  {
    slug: 'lamps',
    category: 'home',
    demand: 0.9,
    name: { en: 'Lamp', es: 'Lámpara' },
    keyword: { en: 'lamp', es: 'lámpara' },
    price: [19, 249],
    uses: ['reading', 'office', 'home'],
    variants: [
      { en: 'Desk', es: 'de escritorio' },
      { en: 'Floor', es: 'de pie' },
      { en: 'LED', es: 'LED' },
      { en: 'Bedside', es: 'de mesita' },
    ],
    features: [
      { en: 'Warm, dimmable light.', es: 'Luz cálida y regulable.' },
      { en: 'Adjustable arm and head.', es: 'Brazo y cabezal orientables.' },
    ],
  },
  {
    slug: 'sofas',
    category: 'home',
    demand: 0.4,
    name: { en: 'Sofa', es: 'Sofá' },
    keyword: { en: 'sofa', es: 'sofá' },
    price: [399, 2499],
    uses: ['home'],
    variants: [
      { en: '2-Seater', es: 'de dos plazas' },
      { en: '3-Seater', es: 'de tres plazas' },
      { en: 'Corner', es: 'rinconera' },
      { en: 'Convertible', es: 'cama' },
    ],
    features: [
      { en: 'Removable, washable covers.', es: 'Fundas desenfundables y lavables.' },
      { en: 'High-density foam seats.', es: 'Asientos de espuma de alta densidad.' },
      { en: 'Solid wood legs.', es: 'Patas de madera maciza.' },
    ],
  },
  {
    slug: 'mugs',
    category: 'home',
    demand: 1.1,
    name: { en: 'Mug', es: 'Taza' },
    keyword: { en: 'mug', es: 'taza' },
    price: [6, 29],
    uses: ['kitchen', 'office'],
    variants: [
      { en: 'Ceramic', es: 'de cerámica' },
      { en: 'Travel', es: 'de viaje' },
      { en: 'Enamel', es: 'esmaltada' },
    ],
    features: [
      { en: 'Holds 350 ml.', es: 'Capacidad de 350 ml.' },
      { en: 'Dishwasher and microwave safe.', es: 'Apta para lavavajillas y microondas.' },
    ],
  },
  {
    slug: 'cookware',
    category: 'home',
    demand: 0.8,
    name: { en: 'Frying Pan', es: 'Sartén' },
    keyword: { en: 'frying pan', es: 'sartén' },
    price: [15, 129],
    uses: ['kitchen'],
    variants: [
      { en: 'Non-Stick', es: 'antiadherente' },
      { en: 'Cast-Iron', es: 'de hierro fundido' },
      { en: 'Stainless Steel', es: 'de acero inoxidable' },
    ],
    features: [
      { en: 'Works on induction hobs.', es: 'Apta para inducción.' },
      { en: 'Stay-cool handle.', es: 'Mango que no se calienta.' },
    ],
  },
  {
    slug: 'bedding',
    category: 'home',
    demand: 0.7,
    name: { en: 'Duvet Cover', es: 'Funda nórdica' },
    keyword: { en: 'duvet cover', es: 'funda nórdica' },
    price: [25, 119],
    uses: ['bedroom'],
    variants: [
      { en: 'Linen', es: 'de lino' },
      { en: 'Cotton', es: 'de algodón' },
      { en: 'Percale', es: 'de percal' },
    ],
    features: [
      { en: 'Includes two pillowcases.', es: 'Incluye dos fundas de almohada.' },
      { en: 'Gets softer with every wash.', es: 'Más suave con cada lavado.' },
    ],
  },
  // Books: titles come from BOOK_TITLES, the "brand" is the publisher.
  {
    slug: 'novels',
    category: 'books',
    demand: 1.2,
    name: { en: 'Novel', es: 'Novela' },
    keyword: { en: 'novel', es: 'novela' },
    price: [9, 24],
    uses: ['reading'],
    variants: [],
    features: [
      { en: 'A gripping story you will not put down.', es: 'Una historia que no podrás dejar.' },
      { en: 'Winner of a readers’ prize.', es: 'Premio de los lectores.' },
    ],
  },
  {
    slug: 'cookbooks',
    category: 'books',
    demand: 0.7,
    name: { en: 'Cookbook', es: 'Libro de cocina' },
    keyword: { en: 'cookbook', es: 'libro de cocina' },
    price: [15, 39],
    uses: ['kitchen'],
    variants: [],
    features: [
      { en: 'Over a hundred recipes with photos.', es: 'Más de cien recetas con fotos.' },
      { en: 'Seasonal menus and shopping lists.', es: 'Menús de temporada y listas de la compra.' },
    ],
  },
  {
    slug: 'travel-guides',
    category: 'books',
    demand: 0.6,
    name: { en: 'Travel Guide', es: 'Guía de viaje' },
    keyword: { en: 'travel guide', es: 'guía de viaje' },
    price: [12, 29],
    uses: ['travel'],
    variants: [],
    features: [
      { en: 'Fold-out maps and walking routes.', es: 'Mapas desplegables y rutas a pie.' },
      { en: 'Where to eat, sleep and what to skip.', es: 'Dónde comer, dónde dormir y qué evitar.' },
    ],
  },
  {
    slug: 'tech-books',
    category: 'books',
    demand: 0.5,
    name: { en: 'Programming Book', es: 'Libro de programación' },
    keyword: { en: 'programming book', es: 'libro de programación' },
    price: [25, 59],
    uses: ['study', 'office'],
    variants: [],
    features: [
      { en: 'Hands-on exercises in every chapter.', es: 'Ejercicios prácticos en cada capítulo.' },
      { en: 'Updated for the latest version.', es: 'Actualizado a la última versión.' },
    ],
  },
  {
    slug: 'childrens-books',
    category: 'books',
    demand: 0.6,
    name: { en: 'Children’s Book', es: 'Libro infantil' },
    keyword: { en: 'children’s book', es: 'libro infantil' },
    price: [8, 19],
    uses: ['kids', 'reading'],
    variants: [],
    features: [
      { en: 'Full-colour illustrations.', es: 'Ilustraciones a todo color.' },
      { en: 'For ages 3 to 7.', es: 'De 3 a 7 años.' },
    ],
  },
];

/** Pieces of book titles; each list pairs an English and a Spanish rendering. */
export const BOOK_WORDS = {
  novelNoun: [
    { en: 'The Lighthouse', es: 'El faro' },
    { en: 'The Garden', es: 'El jardín' },
    { en: 'The River', es: 'El río' },
    { en: 'The Winter', es: 'El invierno' },
    { en: 'The Silence', es: 'El silencio' },
    { en: 'The Map', es: 'El mapa' },
    { en: 'The Orchard', es: 'El huerto' },
    { en: 'The Last Letter', es: 'La última carta' },
    { en: 'The Tide', es: 'La marea' },
  ],
  place: ['Valdemora', 'Kestrel Bay', 'Santa Irene', 'Northmoor', 'Almira', 'Castrelo', 'Port Ellen', 'Ribadelo'],
  cuisine: [
    { en: 'Mediterranean', es: 'mediterránea' },
    { en: 'Vegetarian', es: 'vegetariana' },
    { en: 'Japanese', es: 'japonesa' },
    { en: 'Mexican', es: 'mexicana' },
    { en: 'Basque', es: 'vasca' },
    { en: 'Quick Weeknight', es: 'rápida de diario' },
  ],
  destination: [
    { en: 'Lisbon', es: 'Lisboa' },
    { en: 'Japan', es: 'Japón' },
    { en: 'Andalusia', es: 'Andalucía' },
    { en: 'Scotland', es: 'Escocia' },
    { en: 'Mexico City', es: 'Ciudad de México' },
    { en: 'The Pyrenees', es: 'los Pirineos' },
  ],
  tech: ['TypeScript', 'Python', 'Rust', 'SQL', 'Go', 'Kotlin'],
  animal: [
    { en: 'The Little Fox', es: 'El pequeño zorro' },
    { en: 'Olive the Owl', es: 'La lechuza Oliva' },
    { en: 'The Brave Tortoise', es: 'La tortuga valiente' },
    { en: 'Pip the Penguin', es: 'El pingüino Pip' },
  ],
  thing: [
    { en: 'the Lost Star', es: 'la estrella perdida' },
    { en: 'the Big Storm', es: 'la gran tormenta' },
    { en: 'the Secret Door', es: 'la puerta secreta' },
    { en: 'the Moon Balloon', es: 'el globo de la luna' },
  ],
};

export const FIRST_NAMES: Record<Lang, string[]> = {
  en: [
    'Olivia',
    'James',
    'Amelia',
    'Oliver',
    'Isla',
    'Harry',
    'Ava',
    'Jack',
    'Grace',
    'Noah',
    'Emily',
    'Leo',
    'Chloe',
    'Thomas',
    'Ruby',
    'Ethan',
    'Maya',
    'Samuel',
  ],
  es: [
    'Lucía',
    'Hugo',
    'Sofía',
    'Mateo',
    'Martina',
    'Pablo',
    'Carmen',
    'Álvaro',
    'Elena',
    'Diego',
    'Paula',
    'Javier',
    'Nerea',
    'Andrés',
    'Irene',
    'Sergio',
    'Alba',
    'Marcos',
  ],
};
export const LAST_NAMES: Record<Lang, string[]> = {
  en: ['Smith', 'Jones', 'Taylor', 'Brown', 'Walker', 'Wright', 'Evans', 'Hughes', 'Clarke', 'Hall', 'Turner', 'Cooper', 'Ward', 'Morris'],
  es: ['García', 'Martínez', 'López', 'Sánchez', 'Fernández', 'Romero', 'Navarro', 'Torres', 'Iglesias', 'Ortega', 'Castro', 'Delgado', 'Ruiz', 'Vidal'],
};

export const CHANNELS = ['web', 'app', 'store', 'email', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];
/** How the whole population splits its sessions across channels, before each shopper's own lean. */
export const CHANNEL_BASE: Record<Channel, number> = { web: 0.42, app: 0.28, store: 0.12, email: 0.1, chat: 0.08 };

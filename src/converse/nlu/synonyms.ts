/**
 * Shipped bilingual synonym groups for the slot extractor. The first English word is the canonical name used
 * when the catalog has no matching value of its own. Forms are written as people type them; matching folds
 * accents and stems, so plurals and genders of the listed forms match too.
 */

export interface SynonymGroup {
  canonical: string;
  en: readonly string[];
  es: readonly string[];
  /** Forms that only count after a cue ("for work", "para casa"): on their own they are too common. */
  cueOnly?: readonly string[];
  /** Other slots a mention implies ("running shoes" → use running). */
  implies?: { use?: string };
}

function g(canonical: string, en: string[], es: string[], extra: Partial<SynonymGroup> = {}): SynonymGroup {
  return { canonical, en: extra.cueOnly?.includes(canonical) ? en : [canonical, ...en], es, ...extra };
}

/** Product types. */
export const PRODUCT_SYNONYMS: readonly SynonymGroup[] = [
  g(
    'headphones',
    ['headphone', 'headset', 'earphones', 'earbuds', 'ear buds', 'in-ear headphones', 'over-ear headphones'],
    ['auriculares', 'auricular', 'cascos', 'casco de música', 'audífonos'],
  ),
  g(
    'running shoes',
    ['runners', 'running trainers', 'running sneakers', 'jogging shoes'],
    ['zapatillas de correr', 'zapatillas para correr', 'zapatillas de running', 'zapatillas running', 'tenis para correr'],
    { implies: { use: 'running' } },
  ),
  g('sneakers', ['trainers', 'sneaker', 'sports shoes', 'tennis shoes', 'kicks'], ['zapatillas', 'deportivas', 'bambas', 'tenis', 'zapatillas deportivas']),
  g('shoes', ['shoe', 'footwear'], ['zapatos', 'calzado']),
  g('boots', ['boot', 'ankle boots'], ['botas', 'botines']),
  g('sandals', ['flip flops', 'flip-flops'], ['sandalias', 'chanclas']),
  g('jacket', ['jackets', 'coat', 'parka', 'windbreaker'], ['chaqueta', 'cazadora', 'abrigo', 'parka', 'chubasquero', 'chamarra']),
  g('t-shirt', ['t-shirts', 'tshirt', 'tee', 'tees'], ['camiseta', 'playera', 'remera']),
  g('shirt', ['shirts', 'blouse'], ['camisa', 'blusa']),
  g('sweater', ['jumper', 'pullover', 'hoodie', 'sweatshirt'], ['jersey', 'suéter', 'sudadera', 'buzo']),
  g('jeans', ['denim', 'denims'], ['vaqueros', 'tejanos', 'jeans', 'pantalones vaqueros']),
  g('trousers', ['pants', 'leggings', 'joggers'], ['pantalones', 'pantalón', 'mallas', 'leggings']),
  g('shorts', [], ['pantalones cortos', 'pantalón corto', 'bermudas']),
  g('dress', ['dresses', 'gown'], ['vestido']),
  g('socks', ['sock'], ['calcetines', 'medias']),
  g('backpack', ['rucksack', 'daypack', 'school bag'], ['mochila']),
  g('bag', ['handbag', 'purse', 'tote', 'tote bag'], ['bolso', 'bolsa', 'cartera']),
  g('watch', ['watches', 'wristwatch'], ['reloj', 'relojes']),
  g('smartwatch', ['smart watch', 'fitness tracker', 'activity tracker', 'fitness band'], ['reloj inteligente', 'pulsera de actividad', 'smartwatch']),
  g('phone', ['smartphone', 'mobile', 'mobile phone', 'cell phone', 'cellphone'], ['móvil', 'teléfono', 'celular', 'smartphone']),
  g('phone case', ['phone cover', 'iphone case'], ['funda de móvil', 'funda para el móvil', 'carcasa']),
  g('laptop', ['notebook', 'computer', 'pc'], ['portátil', 'ordenador', 'computadora', 'ordenador portátil', 'laptop']),
  g('tablet', ['ipad'], ['tableta', 'tablet']),
  g('speaker', ['speakers', 'bluetooth speaker', 'soundbar'], ['altavoz', 'altavoces', 'bocina', 'barra de sonido']),
  g('keyboard', ['keyboards'], ['teclado']),
  g('mouse', ['mice'], ['ratón', 'mouse']),
  g('monitor', ['computer screen'], ['monitor']),
  g('camera', ['cameras'], ['cámara']),
  g('charger', ['power bank', 'charging cable'], ['cargador', 'batería externa']),
  g('sunglasses', ['shades'], ['gafas de sol', 'lentes de sol']),
  g('yoga mat', ['exercise mat'], ['esterilla', 'esterilla de yoga', 'colchoneta']),
  g('bike', ['bicycle', 'cycle'], ['bicicleta', 'bici']),
  g('helmet', ['bike helmet', 'cycling helmet'], ['casco de bici', 'casco de ciclismo', 'casco de moto', 'casco para la bici']),
  g('tent', [], ['tienda de campaña', 'carpa']),
  g('water bottle', ['bottle', 'flask'], ['botella', 'cantimplora', 'termo']),
  g('coffee maker', ['coffee machine', 'espresso machine'], ['cafetera']),
  g('book', ['books', 'novel'], ['libro', 'novela']),
  g('toy', ['toys'], ['juguete']),
  g('game', ['video game', 'videogame', 'board game'], ['juego', 'videojuego', 'juego de mesa']),
  g('lamp', ['desk lamp', 'floor lamp'], ['lámpara', 'flexo']),
  g('chair', ['office chair', 'gaming chair'], ['silla', 'silla de oficina', 'silla gaming']),
  g('perfume', ['fragrance', 'cologne'], ['perfume', 'colonia', 'fragancia']),
  g('dumbbells', ['dumbbell', 'weights', 'free weights', 'dumbbell set'], ['mancuernas', 'mancuerna', 'pesas', 'juego de mancuernas']),
  g('sofa', ['sofas', 'couch', 'settee', 'sofa bed'], ['sofá', 'sofás', 'sillón', 'sofá cama']),
  g('mug', ['mugs', 'cup', 'cups', 'coffee mug'], ['taza', 'tazas', 'tazón']),
  g(
    'cookware',
    ['frying pan', 'frying pans', 'skillet', 'saucepan', 'pots and pans', 'wok'],
    ['sartén', 'sartenes', 'olla', 'ollas', 'cazuela', 'cazo', 'batería de cocina', 'wok'],
  ),
  g('bedding', ['bed linen', 'duvet cover', 'bed sheets', 'sheets', 'duvet'], ['ropa de cama', 'sábanas', 'funda nórdica', 'edredón', 'juego de cama']),
  g('kettle', ['electric kettle', 'tea kettle'], ['hervidor', 'hervidor de agua', 'tetera eléctrica']),
  g('toaster', ['toasters'], ['tostadora', 'tostador']),
  g('blender', ['hand blender', 'smoothie maker', 'food processor'], ['batidora', 'licuadora', 'batidora de vaso']),
  g('knife set', ['knives', 'knife', 'kitchen knives', 'chef knife'], ['cuchillos', 'cuchillo', 'juego de cuchillos']),
  g('jewellery', ['jewelry', 'necklace', 'ring', 'earrings', 'bracelet'], ['joyas', 'joyería', 'collar', 'anillo', 'pendientes', 'pulsera']),
];

export const COLOUR_SYNONYMS: readonly SynonymGroup[] = [
  g('red', ['scarlet', 'crimson'], ['rojo', 'roja', 'colorado', 'granate']),
  g('navy', ['navy blue', 'dark blue'], ['azul marino', 'marino']),
  g('blue', ['light blue', 'sky blue'], ['azul', 'celeste', 'azul claro']),
  g('green', ['olive', 'khaki'], ['verde', 'caqui', 'oliva']),
  g('black', [], ['negro', 'negra']),
  g('white', ['off-white', 'ivory'], ['blanco', 'blanca']),
  g('grey', ['gray', 'charcoal'], ['gris', 'grisáceo']),
  g('pink', ['rose'], ['rosa', 'rosado', 'fucsia']),
  g('purple', ['violet', 'lilac', 'lavender'], ['morado', 'violeta', 'lila', 'púrpura']),
  g('yellow', ['mustard'], ['amarillo', 'mostaza']),
  g('orange', [], ['naranja', 'anaranjado']),
  g('brown', ['tan'], ['marrón', 'castaño']),
  g('beige', ['cream', 'nude'], ['beis', 'beige']),
  g('gold', ['golden'], ['dorado', 'oro']),
  g('silver', [], ['plateado', 'plata']),
  g('turquoise', ['teal', 'aqua'], ['turquesa', 'aguamarina']),
  g('multicolour', ['multicolor', 'colourful', 'colorful'], ['multicolor', 'colorido', 'de colores']),
];

/** Intended uses: matched after "for"/"para" and on their own. */
export const USE_SYNONYMS: readonly SynonymGroup[] = [
  g('running', ['jogging', 'marathon', 'marathons', 'trail running'], ['correr', 'running', 'footing', 'maratón', 'maratones'], {
    cueOnly: ['run', 'runs', 'races', 'carrera', 'carreras', 'trail'],
  }),
  g('gaming', ['gamers', 'gamer', 'playing games'], ['gaming', 'jugar a videojuegos', 'gamer'], {
    cueOnly: ['games', 'video games', 'jugar', 'videojuegos', 'juegos'],
  }),
  g('office', ['home office', 'remote work', 'work from home', 'working from home'], ['oficina', 'teletrabajo', 'teletrabajar'], {
    cueOnly: ['work', 'working', 'business', 'meetings', 'trabajo', 'trabajar', 'reuniones'],
  }),
  g('travel', ['travelling', 'traveling'], ['viajar', 'viajes'], { cueOnly: ['trips', 'trip', 'flights', 'viaje', 'vuelos'] }),
  g('commuting', ['commute', 'getting to work', 'city riding'], ['ir al trabajo', 'ir a trabajar', 'moverme por la ciudad', 'desplazamientos'], {
    cueOnly: ['the city', 'la ciudad', 'getting around'],
  }),
  g('gym', ['workout', 'workouts', 'fitness', 'crossfit', 'weightlifting'], ['gimnasio', 'gym', 'entrenar', 'crossfit'], {
    cueOnly: ['training', 'lifting', 'entrenamiento', 'ejercicio', 'hacer ejercicio', 'pesas'],
  }),
  g('hiking', ['trekking', 'camping', 'hillwalking'], ['senderismo', 'trekking', 'acampar', 'camping'], {
    cueOnly: ['hike', 'hikes', 'mountains', 'mountain', 'outdoors', 'montaña', 'excursiones', 'excursión', 'el monte'],
  }),
  g('cycling', ['biking', 'bike rides'], ['ciclismo', 'montar en bici', 'pedalear'], { cueOnly: ['riding', 'the bike', 'la bici', 'bici'] }),
  g('swimming', ['swim'], ['nadar', 'natación'], { cueOnly: ['the pool', 'the beach', 'beach', 'piscina', 'playa', 'la piscina', 'la playa'] }),
  g('yoga', ['pilates'], ['yoga', 'pilates'], { cueOnly: ['stretching', 'estiramientos'] }),
  g('study', ['studying'], ['estudiar'], { cueOnly: ['school', 'university', 'college', 'class', 'estudios', 'colegio', 'universidad', 'clase', 'el cole'] }),
  g('music', ['listening to music'], ['escuchar música'], { cueOnly: ['podcasts', 'música'] }),
  g('kids', ['children', 'toddlers'], ['niños', 'peques'], {
    cueOnly: ['a child', 'a kid', 'kid', 'kids', 'my son', 'my daughter', 'baby', 'niño', 'niña', 'mi hijo', 'mi hija', 'bebé', 'un niño', 'una niña'],
  }),
  g('gift', ['gifting'], ['regalar'], { cueOnly: ['a gift', 'a present', 'present', 'gift', 'regalo', 'un regalo'] }),
  g('everyday', ['daily use', 'everyday use'], ['uso diario'], { cueOnly: ['every day', 'day to day', 'diario', 'el día a día', 'todos los días'] }),
  g('winter', ['skiing', 'snowboarding'], ['esquiar'], { cueOnly: ['the cold', 'snow', 'invierno', 'frío', 'el frío', 'nieve', 'la nieve'] }),
  g('summer', [], [], { cueOnly: ['hot weather', 'the heat', 'verano', 'el verano', 'calor', 'el calor'] }),
  g('wedding', ['weddings'], ['boda', 'bodas'], { cueOnly: ['a wedding', 'formal events', 'eventos', 'una boda'] }),
  g('party', ['parties', 'partying'], ['fiestas'], { cueOnly: ['fiesta', 'una fiesta', 'a party', 'celebrations', 'celebraciones'] }),
  g('reading', ['read', 'reading books'], ['leer', 'lectura'], { cueOnly: ['books', 'libros'] }),
  g('smoothies', ['smoothie', 'shakes', 'milkshakes', 'juices'], ['batidos', 'licuados', 'zumos', 'smoothies']),
  g('home', [], [], { cueOnly: ['the house', 'at home', 'home', 'casa', 'hogar', 'la casa'] }),
];

export const STYLE_SYNONYMS: readonly SynonymGroup[] = [
  g('casual', ['relaxed', 'laid-back'], ['casual', 'desenfadado']),
  g('formal', ['elegant', 'dressy', 'classy'], ['elegante', 'de vestir', 'arreglado']),
  g('sporty', ['sport', 'athletic', 'athleisure'], ['deportivo', 'sport', 'atlético']),
  g('minimalist', ['minimal', 'plain'], ['minimalista', 'liso']),
  g('vintage', ['retro', 'old-school', 'old school'], ['vintage', 'retro', 'antiguo']),
  g('classic', ['timeless', 'traditional'], ['clásico', 'tradicional', 'atemporal']),
  g('modern', ['contemporary', 'trendy', 'fashionable'], ['moderno', 'a la moda', 'de moda']),
  g('bohemian', ['boho'], ['bohemio', 'boho']),
  g('rugged', ['heavy-duty', 'heavy duty'], ['robusto']),
];

/** Features that people ask for and catalogs put in tags; `opposite` is implied when the feature is negated. */
export const FEATURE_SYNONYMS: ReadonlyArray<SynonymGroup & { opposite?: string }> = [
  { ...g('wireless', ['bluetooth', 'cordless', 'true wireless'], ['inalámbrico', 'inalámbricos', 'bluetooth']), opposite: 'wired' },
  { ...g('wired', ['cable', 'cabled', 'with cable', 'corded'], ['con cable', 'cable', 'cableado']), opposite: 'wireless' },
  g(
    'noise cancelling',
    ['noise-cancelling', 'noise canceling', 'anc', 'active noise cancellation'],
    ['cancelación de ruido', 'cancelación activa de ruido', 'anc'],
  ),
  g('waterproof', ['water resistant', 'water-resistant', 'rainproof'], ['impermeable', 'resistente al agua', 'sumergible']),
  g('lightweight', ['ultralight', 'ultra light'], ['ligero', 'ligera', 'liviano', 'ultraligero']),
  g('leather', [], ['cuero', 'piel']),
  g('vegan', ['cruelty-free', 'cruelty free'], ['vegano', 'vegana']),
  g('organic', ['eco', 'eco-friendly', 'sustainable', 'recycled'], ['orgánico', 'ecológico', 'sostenible', 'reciclado']),
  g('cotton', [], ['algodón']),
  g('wool', ['merino'], ['lana', 'merino']),
];

/** Size words; letter sizes and numbers are parsed separately. */
export const SIZE_WORDS: Readonly<Record<string, string>> = {
  'extra small': 'XS',
  'x-small': 'XS',
  xs: 'XS',
  small: 'S',
  medium: 'M',
  large: 'L',
  'extra large': 'XL',
  'x-large': 'XL',
  xl: 'XL',
  xxl: 'XXL',
  xxxl: 'XXXL',
  'muy pequeña': 'XS',
  pequeña: 'S',
  pequeño: 'S',
  mediana: 'M',
  mediano: 'M',
  grande: 'L',
  'extra grande': 'XL',
  'muy grande': 'XL',
};

/** Well-known brands, used only as a hint to the intent classifier (slots use the catalog's own brands). */
export const COMMON_BRANDS: readonly string[] = [
  'nike',
  'adidas',
  'puma',
  'reebok',
  'asics',
  'new balance',
  'salomon',
  'hoka',
  'brooks',
  'apple',
  'samsung',
  'sony',
  'bose',
  'jbl',
  'sennheiser',
  'xiaomi',
  'huawei',
  'lenovo',
  'hp',
  'dell',
  'asus',
  'logitech',
  'razer',
  'canon',
  'nikon',
  'garmin',
  'fitbit',
  'zara',
  'mango',
  'levis',
  'decathlon',
  'ikea',
  'lego',
  'philips',
  'lg',
  'nintendo',
  'playstation',
];

/**
 * Shipped bilingual synonym groups for the slot extractor. The first English word is the canonical name used
 * when the catalog has no matching value of its own. Forms are written as people type them; matching folds
 * accents and stems, so plurals and genders of the listed forms match too.
 */

export interface SynonymGroup {
  canonical: string;
  en: readonly string[];
  es: readonly string[];
}

function g(canonical: string, en: string[], es: string[]): SynonymGroup {
  return { canonical, en: [canonical, ...en], es };
}

/** Product types. */
export const PRODUCT_SYNONYMS: readonly SynonymGroup[] = [
  g('headphones', ['headphone', 'headset', 'earphones', 'earbuds', 'ear buds', 'in-ear headphones', 'over-ear headphones', 'cans'], ['auriculares', 'auricular', 'cascos', 'casco de música', 'audífonos', 'cascos inalámbricos']),
  g('running shoes', ['runners', 'running trainers', 'running sneakers', 'jogging shoes'], ['zapatillas de correr', 'zapatillas para correr', 'zapatillas de running', 'zapatillas running', 'tenis para correr']),
  g('sneakers', ['trainers', 'sneaker', 'sports shoes', 'tennis shoes', 'kicks'], ['zapatillas', 'deportivas', 'bambas', 'tenis', 'zapatillas deportivas']),
  g('shoes', ['shoe', 'footwear'], ['zapatos', 'calzado']),
  g('boots', ['boot', 'ankle boots'], ['botas', 'botines']),
  g('sandals', ['flip flops', 'flip-flops'], ['sandalias', 'chanclas']),
  g('jacket', ['jackets', 'coat', 'parka', 'windbreaker'], ['chaqueta', 'cazadora', 'abrigo', 'parka', 'chubasquero', 'chamarra']),
  g('t-shirt', ['t-shirts', 'tshirt', 'tee', 'tees', 'top'], ['camiseta', 'playera', 'remera']),
  g('shirt', ['shirts', 'blouse'], ['camisa', 'blusa']),
  g('sweater', ['jumper', 'pullover', 'hoodie', 'sweatshirt'], ['jersey', 'suéter', 'sudadera', 'buzo']),
  g('trousers', ['pants', 'jeans', 'leggings', 'joggers'], ['pantalones', 'pantalón', 'vaqueros', 'mallas', 'leggings', 'jeans']),
  g('shorts', [], ['pantalones cortos', 'pantalón corto', 'bermudas']),
  g('dress', ['dresses', 'gown'], ['vestido']),
  g('socks', ['sock'], ['calcetines', 'medias']),
  g('backpack', ['rucksack', 'daypack', 'school bag'], ['mochila']),
  g('bag', ['handbag', 'purse', 'tote', 'tote bag'], ['bolso', 'bolsa', 'cartera']),
  g('watch', ['watches', 'wristwatch'], ['reloj', 'relojes']),
  g('smartwatch', ['smart watch', 'fitness tracker', 'activity tracker', 'fitness band'], ['reloj inteligente', 'pulsera de actividad', 'smartwatch']),
  g('phone', ['smartphone', 'mobile', 'mobile phone', 'cell phone', 'cellphone'], ['móvil', 'teléfono', 'celular', 'smartphone']),
  g('phone case', ['case', 'cover', 'phone cover'], ['funda', 'funda de móvil', 'carcasa']),
  g('laptop', ['notebook', 'computer', 'pc'], ['portátil', 'ordenador', 'computadora', 'ordenador portátil', 'laptop']),
  g('tablet', ['ipad'], ['tableta', 'tablet']),
  g('speaker', ['speakers', 'bluetooth speaker', 'soundbar'], ['altavoz', 'altavoces', 'bocina', 'barra de sonido']),
  g('keyboard', ['keyboards'], ['teclado']),
  g('mouse', ['mice'], ['ratón', 'mouse']),
  g('monitor', ['screen', 'display'], ['monitor', 'pantalla']),
  g('camera', ['cameras'], ['cámara']),
  g('charger', ['power bank', 'cable'], ['cargador', 'batería externa']),
  g('sunglasses', ['shades'], ['gafas de sol', 'lentes de sol']),
  g('yoga mat', ['exercise mat', 'mat'], ['esterilla', 'esterilla de yoga', 'colchoneta']),
  g('bike', ['bicycle', 'cycle'], ['bicicleta', 'bici']),
  g('helmet', [], ['casco']),
  g('tent', [], ['tienda de campaña', 'carpa']),
  g('water bottle', ['bottle', 'flask'], ['botella', 'cantimplora', 'termo']),
  g('coffee maker', ['coffee machine', 'espresso machine'], ['cafetera']),
  g('book', ['books', 'novel'], ['libro', 'novela']),
  g('toy', ['toys'], ['juguete']),
  g('game', ['video game', 'videogame', 'board game'], ['juego', 'videojuego', 'juego de mesa']),
  g('lamp', ['light', 'desk lamp'], ['lámpara', 'flexo']),
  g('chair', ['office chair', 'gaming chair'], ['silla', 'silla de oficina', 'silla gaming']),
  g('perfume', ['fragrance', 'cologne'], ['perfume', 'colonia', 'fragancia']),
  g('jewellery', ['jewelry', 'necklace', 'ring', 'earrings', 'bracelet'], ['joyas', 'joyería', 'collar', 'anillo', 'pendientes', 'pulsera']),
  g('gift', ['present'], ['regalo']),
];

export const COLOUR_SYNONYMS: readonly SynonymGroup[] = [
  g('red', ['scarlet', 'crimson'], ['rojo', 'roja', 'colorado', 'granate']),
  g('navy', ['navy blue', 'dark blue'], ['azul marino', 'marino']),
  g('blue', ['light blue', 'sky blue'], ['azul', 'celeste', 'azul claro']),
  g('green', ['olive', 'khaki'], ['verde', 'caqui', 'oliva']),
  g('black', [], ['negro', 'negra']),
  g('white', ['off-white', 'ivory'], ['blanco', 'blanca', 'crudo']),
  g('grey', ['gray', 'charcoal'], ['gris', 'grisáceo']),
  g('pink', ['rose'], ['rosa', 'rosado', 'fucsia']),
  g('purple', ['violet', 'lilac', 'lavender'], ['morado', 'violeta', 'lila', 'púrpura']),
  g('yellow', ['mustard'], ['amarillo', 'mostaza']),
  g('orange', [], ['naranja', 'anaranjado']),
  g('brown', ['tan', 'chocolate'], ['marrón', 'café', 'castaño', 'chocolate']),
  g('beige', ['cream', 'sand', 'nude'], ['beis', 'beige', 'crema', 'arena']),
  g('gold', ['golden'], ['dorado', 'oro']),
  g('silver', [], ['plateado', 'plata']),
  g('turquoise', ['teal', 'aqua'], ['turquesa', 'aguamarina']),
  g('multicolour', ['multicolor', 'colourful', 'colorful'], ['multicolor', 'colorido', 'de colores']),
];

/** Intended uses: matched after "for"/"para" and on their own. */
export const USE_SYNONYMS: readonly SynonymGroup[] = [
  g('running', ['run', 'runs', 'jogging', 'jog', 'marathon', 'marathons', 'trail running'], ['correr', 'running', 'footing', 'maratón', 'maratones', 'carrera', 'carreras', 'trail']),
  g('gaming', ['games', 'gamers', 'gamer', 'playing games', 'video games'], ['gaming', 'jugar', 'videojuegos', 'gamer', 'juegos']),
  g('office', ['work', 'working', 'the office', 'business', 'meetings', 'work from home', 'home office', 'remote work'], ['oficina', 'trabajo', 'trabajar', 'teletrabajo', 'teletrabajar', 'reuniones']),
  g('travel', ['travelling', 'traveling', 'trips', 'trip', 'flights', 'commuting', 'commute'], ['viajar', 'viaje', 'viajes', 'vuelos', 'ir al trabajo']),
  g('gym', ['workout', 'workouts', 'training', 'fitness', 'the gym', 'lifting', 'crossfit'], ['gimnasio', 'gym', 'entrenar', 'entrenamiento', 'ejercicio', 'crossfit', 'pesas']),
  g('hiking', ['hike', 'hikes', 'trekking', 'mountains', 'mountain', 'camping', 'outdoors'], ['senderismo', 'montaña', 'trekking', 'acampar', 'camping', 'excursiones', 'excursión']),
  g('cycling', ['biking', 'riding', 'bike rides'], ['ciclismo', 'bici', 'montar en bici', 'pedalear']),
  g('swimming', ['swim', 'the pool', 'the beach', 'beach'], ['nadar', 'natación', 'piscina', 'playa']),
  g('yoga', ['pilates', 'stretching'], ['yoga', 'pilates', 'estiramientos']),
  g('study', ['studying', 'school', 'university', 'college', 'class'], ['estudiar', 'estudios', 'colegio', 'universidad', 'clase', 'el cole']),
  g('music', ['listening to music', 'podcasts'], ['música', 'escuchar música', 'podcasts']),
  g('kids', ['children', 'a child', 'a kid', 'my son', 'my daughter', 'toddlers', 'baby'], ['niños', 'niño', 'niña', 'mi hijo', 'mi hija', 'bebé', 'peques']),
  g('gift', ['a gift', 'a present', 'present', 'gifting'], ['regalo', 'regalar', 'un regalo']),
  g('everyday', ['daily use', 'every day', 'casual use', 'day to day'], ['diario', 'el día a día', 'uso diario', 'todos los días']),
  g('winter', ['the cold', 'snow', 'skiing'], ['invierno', 'frío', 'nieve', 'esquiar']),
  g('summer', ['hot weather', 'the heat'], ['verano', 'calor']),
  g('wedding', ['weddings', 'a wedding', 'formal events', 'parties', 'party'], ['boda', 'bodas', 'fiesta', 'fiestas', 'eventos']),
  g('home', ['the house', 'at home', 'the kitchen', 'the living room'], ['casa', 'hogar', 'la cocina', 'el salón']),
];

export const STYLE_SYNONYMS: readonly SynonymGroup[] = [
  g('casual', ['relaxed', 'laid-back', 'informal'], ['casual', 'informal', 'desenfadado']),
  g('formal', ['smart', 'elegant', 'dressy', 'classy'], ['formal', 'elegante', 'de vestir', 'arreglado']),
  g('sporty', ['sport', 'athletic', 'athleisure'], ['deportivo', 'sport', 'atlético']),
  g('minimalist', ['minimal', 'simple', 'clean', 'plain'], ['minimalista', 'sencillo', 'simple', 'liso']),
  g('vintage', ['retro', 'old-school', 'old school'], ['vintage', 'retro', 'antiguo']),
  g('classic', ['timeless', 'traditional'], ['clásico', 'tradicional', 'atemporal']),
  g('modern', ['contemporary', 'trendy', 'fashionable'], ['moderno', 'actual', 'a la moda', 'de moda']),
  g('bohemian', ['boho'], ['bohemio', 'boho']),
  g('rugged', ['tough', 'heavy-duty', 'heavy duty'], ['resistente', 'robusto']),
];

/** Features that people ask for and catalogs put in tags; `opposite` is implied when the feature is negated. */
export const FEATURE_SYNONYMS: ReadonlyArray<SynonymGroup & { opposite?: string }> = [
  { ...g('wireless', ['bluetooth', 'cordless', 'cable-free', 'true wireless'], ['inalámbrico', 'inalámbricos', 'bluetooth', 'sin cables']), opposite: 'wired' },
  { ...g('wired', ['cable', 'cabled', 'with cable', 'corded'], ['con cable', 'cable', 'cableado']), opposite: 'wireless' },
  g('noise cancelling', ['noise-cancelling', 'noise canceling', 'anc', 'active noise cancellation'], ['cancelación de ruido', 'cancelación activa de ruido', 'anc']),
  g('waterproof', ['water resistant', 'water-resistant', 'rainproof'], ['impermeable', 'resistente al agua', 'sumergible']),
  g('lightweight', ['light', 'ultralight'], ['ligero', 'ligera', 'liviano', 'ultraligero']),
  g('leather', [], ['cuero', 'piel']),
  g('vegan', ['cruelty-free', 'cruelty free'], ['vegano', 'vegana']),
  g('organic', ['eco', 'eco-friendly', 'sustainable', 'recycled'], ['orgánico', 'ecológico', 'sostenible', 'reciclado']),
  g('cotton', [], ['algodón']),
  g('wool', ['merino'], ['lana', 'merino']),
];

/** Size words; letter sizes and numbers are parsed separately. */
export const SIZE_WORDS: Readonly<Record<string, string>> = {
  'extra small': 'XS', 'x-small': 'XS', xs: 'XS', small: 'S', medium: 'M', large: 'L', 'extra large': 'XL', 'x-large': 'XL',
  xl: 'XL', xxl: 'XXL', xxxl: 'XXXL',
  'muy pequeña': 'XS', pequeña: 'S', pequeño: 'S', mediana: 'M', mediano: 'M', grande: 'L', 'extra grande': 'XL', 'muy grande': 'XL',
};

/** Well-known brands, used only as a hint to the intent classifier (slots use the catalog's own brands). */
export const COMMON_BRANDS: readonly string[] = [
  'nike', 'adidas', 'puma', 'reebok', 'asics', 'new balance', 'salomon', 'hoka', 'brooks', 'apple', 'samsung', 'sony',
  'bose', 'jbl', 'sennheiser', 'xiaomi', 'huawei', 'lenovo', 'hp', 'dell', 'asus', 'logitech', 'razer', 'canon', 'nikon',
  'garmin', 'fitbit', 'zara', 'mango', 'levis', 'decathlon', 'ikea', 'lego', 'philips', 'lg', 'nintendo', 'playstation',
];

/**
 * Store collections that more than one slice uses, named once here so that neither slice imports
 * the other for the name.
 */

/** Price drops and returns to stock: ingest writes them when items change, the assistant opens conversations with them. */
export const ITEM_CHANGE_COLLECTION = 'item_change';

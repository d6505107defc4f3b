/**
 * The custody actions that create an item, with the new item's id as their subject: an import,
 * and a clip or still made at this station (see importFile.ts and review/recordMadeItem.ts).
 */
export const ITEM_CREATING_ACTIONS = ['import', 'clip.create', 'still.create'] as const;

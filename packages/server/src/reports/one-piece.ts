/** `item` as the only piece of a sequence of pieces: what is already whole, where pieces are read. */
export async function* onePiece<T>(item: T): AsyncGenerator<T> {
  yield item;
}

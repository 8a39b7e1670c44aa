import { FavoritePath } from '@shop/shared';
import { route } from '../lib/http';
import * as favorites from '../services/favorites';

export const listFavorites = route('listFavorites', ({ userId, query }) => favorites.listFavorites(userId, query));
export const getFavorite = route('getFavorite', ({ userId, params }) => favorites.favoriteState(userId, params.productId), {
  params: FavoritePath,
});
export const addFavorite = route('addFavorite', ({ userId, params, now }) => favorites.addFavorite(userId, params.productId, now), {
  params: FavoritePath,
});
export const removeFavorite = route('removeFavorite', ({ userId, params }) => favorites.removeFavorite(userId, params.productId), {
  params: FavoritePath,
});

import { route } from '../lib/http';
import * as search from '../services/search';

export const searchProducts = route('searchProducts', ({ query, userId }) => search.searchProducts(query, userId));
export const suggest = route('suggest', ({ query }) => search.suggest(query.q));

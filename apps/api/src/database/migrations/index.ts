import { AppSettings1763712000000 } from './1763712000000-app-settings';

/** Every migration, oldest first. Committed migrations are never edited: add a new one. */
export const migrations = [AppSettings1763712000000];

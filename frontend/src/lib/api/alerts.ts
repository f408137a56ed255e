// What needs the logged-in person's action, from every area (app/alerts.go).

import * as AlertsFn from '../../../wailsjs/go/app/Alerts';
import { call, list } from './call';
import type { Alert } from './alerts.types';

export const alertsApi = {
  mine: async (): Promise<Alert[]> => list(await call(() => AlertsFn.Mine())),
};

import { ErrorCode } from '@switchboard/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

import { ApiError, ClientErrorCode } from '../../api/http';
import {
  createCustomer,
  fetchCustomerOrders,
  fetchIntegrationToken,
  placeOrder as placeOrderCall,
  type CreatedCustomer,
  type CustomerOrder,
  type OrderLine,
} from '../../api/sandbox';
import type { LoadStatus } from '../load-status';
import { useSiteStore } from '../site';
import { SHOP_CURRENCY, type DemoCustomer } from './demo-shop';

/** While an order's email is still queued, its status is asked for this often. */
export const EMAIL_STATUS_POLL_MS = 1_000;
/** …and for at most this long; the worker sends within a second or two. */
export const EMAIL_STATUS_POLL_LIMIT_MS = 30_000;
/** The integration token pasted in production: this tab only (sessionStorage), gone when it closes. */
export const PASTED_TOKEN_KEY = 'switchboard.sandbox.integration-token';

export type ShopCustomer = CreatedCustomer & Pick<DemoCustomer, 'name' | 'email' | 'phone'>;

export interface ConfirmedOrder {
  id: string;
  chatUrl: string;
  email: string;
}

/**
 * The demo shop: what a shop's backend does with the real integration API (create the customer, place
 * the order), with the installation's integration token, then the customer's order history with each
 * confirmation email's status. Outside production the sandbox serves the token; production never does,
 * so there the visitor pastes it (kept for this tab only).
 */
export const useShopStore = defineStore('sandbox-shop', () => {
  const siteStore = useSiteStore();
  /** The customer this visit created; further orders go to them until another is made. */
  const customer = ref<ShopCustomer | null>(null);
  const placing = ref(false);
  const error = ref<ApiError | null>(null);
  const lastOrder = ref<ConfirmedOrder | null>(null);
  const ordersStatus = ref<LoadStatus>('idle');
  const orders = ref<CustomerOrder[]>([]);
  const pastedToken = ref(readPastedToken());
  /** Production: the token is pasted in rather than fetched. */
  const needsPastedToken = computed(() => siteStore.site?.sandbox?.integrationToken === false);
  /** The API refused the pasted token. */
  const tokenRefused = computed(
    () =>
      needsPastedToken.value && error.value?.status === 401 && error.value.code === ErrorCode.Unauthorized,
  );

  let token: Promise<string> | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;

  function setPastedToken(value: string): void {
    pastedToken.value = value.trim();
    savePastedToken(pastedToken.value);
    if (tokenRefused.value || error.value?.code === ClientErrorCode.IntegrationTokenMissing)
      error.value = null;
  }

  function integrationToken(): Promise<string> {
    if (needsPastedToken.value) {
      return pastedToken.value
        ? Promise.resolve(pastedToken.value)
        : Promise.reject(
            new ApiError({
              status: 0,
              code: ClientErrorCode.IntegrationTokenMissing,
              message: 'Paste the integration token first.',
            }),
          );
    }
    token ??= fetchIntegrationToken().catch((cause: unknown) => {
      token = null;
      throw cause;
    });
    return token;
  }

  /** Creates the customer unless this visit already did, then places the order. Never rejects. */
  async function placeOrder(details: DemoCustomer, items: OrderLine[]): Promise<ConfirmedOrder | null> {
    if (placing.value) return null;
    placing.value = true;
    error.value = null;
    try {
      const bearer = await integrationToken();
      const username = details.username.trim();
      if (customer.value?.username !== username) {
        const phone = details.phone.replace(/[\s()-]/g, '');
        const created = await createCustomer(bearer, {
          username,
          name: details.name.trim(),
          email: details.email.trim(),
          ...(phone ? { phone } : {}),
        });
        customer.value = { ...created, name: details.name.trim(), email: details.email.trim(), phone };
        orders.value = [];
        ordersStatus.value = 'idle';
      }
      const placed = await placeOrderCall(bearer, { username, items, currency: SHOP_CURRENCY });
      lastOrder.value = { id: placed.id, chatUrl: placed.chatUrl, email: customer.value!.email };
      void followOrders();
      return lastOrder.value;
    } catch (cause) {
      error.value = asApiError(cause);
      return null;
    } finally {
      placing.value = false;
    }
  }

  /** Loads the customer's orders; while an email is still queued, asks again shortly. */
  async function followOrders(startedAt = Date.now()): Promise<void> {
    clearTimeout(pollTimer);
    const current = customer.value;
    if (!current) return;
    if (ordersStatus.value !== 'ready') ordersStatus.value = 'loading';
    try {
      const next = await fetchCustomerOrders(await integrationToken(), current.username);
      if (customer.value !== current) return;
      orders.value = next;
      ordersStatus.value = 'ready';
    } catch {
      if (customer.value !== current) return;
      if (ordersStatus.value !== 'ready') ordersStatus.value = 'error';
    }
    const waiting = orders.value.some((order) => !order.email || order.email.status === 'queued');
    if ((waiting || ordersStatus.value !== 'ready') && Date.now() - startedAt < EMAIL_STATUS_POLL_LIMIT_MS) {
      pollTimer = setTimeout(() => void followOrders(startedAt), EMAIL_STATUS_POLL_MS);
    }
  }

  /** Starts over with someone new: the next order creates them first. */
  function switchCustomer(): void {
    clearTimeout(pollTimer);
    customer.value = null;
    lastOrder.value = null;
    orders.value = [];
    ordersStatus.value = 'idle';
    error.value = null;
  }

  function stop(): void {
    clearTimeout(pollTimer);
  }

  return {
    customer,
    placing,
    error,
    lastOrder,
    orders,
    ordersStatus,
    pastedToken,
    needsPastedToken,
    tokenRefused,
    setPastedToken,
    placeOrder,
    followOrders,
    switchCustomer,
    stop,
  };
});

/** True when the failure is the username already being someone's. */
export function isUsernameTaken(error: ApiError | null): boolean {
  return error?.code === ErrorCode.UsernameTaken;
}

function readPastedToken(): string {
  try {
    return sessionStorage.getItem(PASTED_TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

function savePastedToken(value: string): void {
  try {
    if (value === '') sessionStorage.removeItem(PASTED_TOKEN_KEY);
    else sessionStorage.setItem(PASTED_TOKEN_KEY, value);
  } catch {
    // Storage can be off (private windows): the token then lasts as long as the page.
  }
}

function asApiError(cause: unknown): ApiError {
  if (cause instanceof ApiError) return cause;
  return new ApiError({
    status: 0,
    code: ClientErrorCode.UnexpectedResponse,
    message: cause instanceof Error ? cause.message : String(cause),
    cause,
  });
}

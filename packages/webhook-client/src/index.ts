export { type CoachwireClient, createClient, type SubscribeOptions } from './client.js';
export {
  ApiError,
  type ApiErrorDetails,
  CircuitOpenError,
  type ClientErrorCode,
  CoachwireClientError,
  InsufficientBalanceError,
  MarketClosedError,
  NetworkError,
  PriceMovedError,
  TimeoutError,
} from './errors.js';
export type { ResyncInfo, Unsubscribe } from './event-subscription.js';
export type {
  HttpRequestFunction,
  HttpRequestOptions,
  HttpResponse,
  HttpResponseBody,
} from './http-transport.js';
export type * from './market-types.js';
export type {
  CacheOptions,
  CircuitBreakerOptions,
  ClientLogger,
  ClientOptions,
  Clock,
  RetryOptions,
} from './options.js';
export type * from './types.js';

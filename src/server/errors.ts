/** Domain errors. Domain code throws AppError; http/error-handler.ts renders it as RFC 9457 problem+json. */
export type ErrorCode =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_transition'
  | 'precondition_failed'
  | 'precondition_required'
  | 'payload_too_large'
  | 'unprocessable'
  | 'answer_does_not_fit'
  | 'rate_limited'
  | 'unavailable'

export const STATUS_OF: Record<ErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unprocessable: 422,
  answer_does_not_fit: 422,
  precondition_required: 428,
  rate_limited: 429,
  unavailable: 503,
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'AppError'
  }
  get status(): number {
    return STATUS_OF[this.code]
  }
  static validation = (message: string, details?: Record<string, unknown>) => new AppError('validation', message, details)
  static unauthenticated = () => new AppError('unauthenticated', 'You need to log in first.')
  static forbidden = (action: string) => new AppError('forbidden', `You are not allowed to ${action}.`)
  static notFound = (what: string, id: string) => new AppError('not_found', `${what} ${id} was not found.`)
  static conflict = (message: string, details?: Record<string, unknown>) => new AppError('conflict', message, details)
}

import type { OAuthProvider } from '../../../../shared/api/mailbox-oauth.js'
import type { MailboxOAuthTable } from '../../../db/schema.js'

export interface ProviderEndpoints {
  authorizeUrl: string
  tokenUrl: string
  scopes: string
  /** Extra authorisation parameters: Google hands out a refresh token only with these. */
  extra: Record<string, string>
}

/** Where each provider signs in, and the scopes IMAP and SMTP need (plus a refresh token). */
export function endpointsOf(row: Pick<MailboxOAuthTable, 'provider' | 'tenant' | 'authorize_url' | 'token_url' | 'scopes'>): ProviderEndpoints {
  switch (row.provider as OAuthProvider) {
    case 'microsoft': {
      const base = `https://login.microsoftonline.com/${encodeURIComponent(row.tenant || 'organizations')}/oauth2/v2.0`
      return {
        authorizeUrl: `${base}/authorize`,
        tokenUrl: `${base}/token`,
        scopes: 'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access',
        extra: {},
      }
    }
    case 'google':
      return {
        authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
        tokenUrl: 'https://oauth2.googleapis.com/token',
        scopes: 'https://mail.google.com/',
        extra: { access_type: 'offline', prompt: 'consent' },
      }
    default:
      return { authorizeUrl: row.authorize_url ?? '', tokenUrl: row.token_url ?? '', scopes: row.scopes ?? '', extra: {} }
  }
}

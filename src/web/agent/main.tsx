import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '../ui/styles.css'
import { ApiError } from './api.js'
import { App } from './App.js'
import './i18n.js'

// When the session ends (expired, logged out elsewhere), any 401 brings back the login screen.
const onError = (err: unknown) => {
  if (err instanceof ApiError && err.status === 401) queryClient.setQueryData(['me'], null)
}
const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: true,
      // A flaky connection gets retried; what the server refused (4xx) does not.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 4,
      retryDelay: (n) => Math.min(500 * 2 ** n, 8000),
    },
    mutations: { retry: false },
  },
})

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
)

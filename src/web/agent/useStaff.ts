import { useQuery } from '@tanstack/react-query'
import { api, type User } from './api.js'

/** Everyone a ticket can be assigned to: agents, supervisors and administrators. */
export function useStaff(): User[] {
  const staff = useQuery({
    queryKey: ['staff'],
    queryFn: async () => {
      const pages = await Promise.all((['agent', 'supervisor', 'admin'] as const).map((role) => api.users({ role, limit: 200 })))
      return pages.flatMap((p) => p.items).filter((u) => u.active).sort((a, b) => a.name.localeCompare(b.name))
    },
    staleTime: 300_000,
  })
  return staff.data ?? []
}

import { useQuery } from '@tanstack/react-query'
import type { SelectHTMLAttributes } from 'react'
import { api } from './api.js'

/** The desk's groups and departments, fetched once and shared by every screen that shows or picks them. */
export const useGroups = () => useQuery({ queryKey: ['groups'], queryFn: api.groups, staleTime: 300_000 })
export const useDepartments = () => useQuery({ queryKey: ['departments'], queryFn: api.departments, staleTime: 300_000 })

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'children'> & {
  /** The label of the empty choice ("—", "keep", "the default group"); without it there is none. */
  empty?: string
}

function NamedSelect({ items, empty, ...props }: SelectProps & { items: { id: string; name: string }[] | undefined }) {
  return (
    <select {...props}>
      {empty !== undefined && <option value="">{empty}</option>}
      {(items ?? []).map((item) => (
        <option key={item.id} value={item.id}>
          {item.name}
        </option>
      ))}
    </select>
  )
}

/** A choice of one of the desk's groups. */
export function GroupSelect(props: SelectProps) {
  return <NamedSelect items={useGroups().data} {...props} />
}

/** A choice of one of the desk's departments. */
export function DepartmentSelect(props: SelectProps) {
  return <NamedSelect items={useDepartments().data} {...props} />
}

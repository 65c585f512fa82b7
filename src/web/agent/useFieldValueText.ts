import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from './api.js'
import { useStaff } from './useStaff.js'

/** How a ticket field's value reads for people: labels for status, priority and type; names for groups, departments and agents. */
export function useFieldValueText(): (field: string, value: string | null) => string {
  const { t } = useTranslation()
  const staff = useStaff()
  const groups = useQuery({ queryKey: ['groups'], queryFn: api.groups, staleTime: 300_000 })
  const departments = useQuery({ queryKey: ['departments'], queryFn: api.departments, staleTime: 300_000 })
  return (field, value) => {
    if (value === null || value === '') return t('fields.empty')
    if (field === 'status') return t(`status.${value}`)
    if (field === 'priority') return t(`priority.${value}`)
    if (field === 'type') return t(`type.${value}`)
    if (field === 'groupId') return groups.data?.find((g) => g.id === value)?.name ?? value
    if (field === 'departmentId') return departments.data?.find((d) => d.id === value)?.name ?? value
    if (field === 'assigneeId') return staff.find((u) => u.id === value)?.name ?? value
    return value
  }
}

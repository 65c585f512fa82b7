import { useTranslation } from 'react-i18next'
import { useDepartments, useGroups } from './DeskSelects.js'
import { useStaff } from './useStaff.js'

/** How a ticket field's value reads for people: labels for status, priority and type; names for groups, departments and agents. */
export function useFieldValueText(): (field: string, value: string | null) => string {
  const { t } = useTranslation()
  const staff = useStaff()
  const groups = useGroups()
  const departments = useDepartments()
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

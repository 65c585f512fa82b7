import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../api.js'
import { AppLink } from '../AppLink.js'
import { mailboxApi } from '../mailboxApi.js'
import { WaitingMailNotice } from '../WaitingMailNotice.js'
import { BEHEER_SECTIONS } from './sections.js'

/** The first steps of a new desk, each ticked when it is done (read from what exists, never stored). */
export function Checklist() {
  const { t } = useTranslation()
  const mailboxes = useQuery({ queryKey: ['mailboxes'], queryFn: ({ signal }) => mailboxApi.list(signal) })
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => api.departments() })
  const groups = useQuery({ queryKey: ['groups'], queryFn: () => api.groups() })
  const agents = useQuery({ queryKey: ['users', 'checklist'], queryFn: ({ signal }) => api.users({ role: 'agent', limit: 1 }, signal) })
  const steps = [
    { key: 'mailbox', section: 'mailboxes', done: (mailboxes.data?.length ?? 0) > 0, known: mailboxes.isSuccess },
    { key: 'departments', section: 'departments', done: (departments.data?.length ?? 0) > 0, known: departments.isSuccess },
    { key: 'groups', section: 'groups', done: (groups.data?.length ?? 0) > 0, known: groups.isSuccess },
    { key: 'agents', section: 'users', done: (agents.data?.items.length ?? 0) > 0, known: agents.isSuccess },
  ] as const
  const doneCount = steps.filter((s) => s.done).length
  return (
    <section className="panel checklist" aria-labelledby="checklist-title">
      <h2 id="checklist-title">{t('beheer.checklist.title')}</h2>
      <WaitingMailNotice />
      <p className="muted">{doneCount === steps.length ? t('beheer.checklist.allDone') : t('beheer.checklist.progress', { done: doneCount, total: steps.length })}</p>
      <ol className="checklist-steps">
        {steps.map((step) => {
          const hasScreen = BEHEER_SECTIONS.some((s) => s.path === step.section)
          const label = t(`beheer.checklist.${step.key}`)
          return (
            <li key={step.key} className={step.done ? 'step-done' : undefined}>
              <span className="step-mark" aria-hidden="true">
                {step.done ? '✓' : ''}
              </span>
              {hasScreen ? <AppLink href={`/admin/${step.section}`}>{label}</AppLink> : <span>{label}</span>}
              <span className="visually-hidden">{step.known ? (step.done ? t('beheer.checklist.done') : t('beheer.checklist.todo')) : t('common.loading')}</span>
            </li>
          )
        })}
      </ol>
    </section>
  )
}

import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { PLACEHOLDERS, type TemplateScope, type TemplateVariant } from '../../shared/api/templates.js'
import { ErrorNote, errorText } from '../ui/ErrorNote.js'
import { DepartmentSelect, GroupSelect } from './DeskSelects.js'
import { fileSize } from '../ui/format.js'
import { knowledgeApi, type Template, type TemplateAttachment } from './knowledgeApi.js'
import './knowledge.css'

interface Form {
  title: string
  shortcut: string
  body: string
  language: 'nl' | 'en'
  scope: TemplateScope
  groupId: string
  departmentId: string
  variants: TemplateVariant[]
}
const EMPTY: Form = { title: '', shortcut: '', body: '', language: 'nl', scope: 'personal', groupId: '', departmentId: '', variants: [] }

/** Templates: write, share (with yourself, a group or a department) and keep them, with their language and channel variants. */
export function TemplatesView() {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const [q, setQ] = useState('')
  const list = useQuery({ queryKey: ['templates', 'manage', q], queryFn: ({ signal }) => knowledgeApi.templates(q, signal, 200) })
  const [editing, setEditing] = useState<{ id: string | null; form: Form; files: TemplateAttachment[] } | null>(null)
  const [uploading, setUploading] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [saving, setSaving] = useState(false)

  const edit = (tpl: Template | null) => {
    setError(null)
    setEditing(
      tpl
        ? {
            id: tpl.id,
            form: { title: tpl.title, shortcut: tpl.shortcut ?? '', body: tpl.body, language: tpl.language, scope: tpl.scope, groupId: tpl.groupId ?? '', departmentId: tpl.departmentId ?? '', variants: tpl.variants },
            files: tpl.attachments,
          }
        : { id: null, form: EMPTY, files: [] },
    )
  }
  const set = <K extends keyof Form>(key: K, value: Form[K]) => editing && setEditing({ ...editing, form: { ...editing.form, [key]: value } })
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['templates'] })

  const save = async (e: FormEvent) => {
    e.preventDefault()
    if (!editing) return
    const f = editing.form
    const body = {
      title: f.title,
      shortcut: f.shortcut.trim() || null,
      body: f.body,
      language: f.language,
      scope: f.scope,
      groupId: f.scope === 'group' ? f.groupId || null : null,
      departmentId: f.scope === 'department' ? f.departmentId || null : null,
      variants: f.variants,
    }
    setSaving(true)
    setError(null)
    try {
      if (editing.id) await knowledgeApi.updateTemplate(editing.id, body)
      else await knowledgeApi.createTemplate(body)
      setEditing(null)
      refresh()
    } catch (err) {
      setError(err)
    } finally {
      setSaving(false)
    }
  }
  // Files are added and taken off at once (not with Opslaan): they are the template's own, like its uses.
  const addFiles = async (list: FileList | null) => {
    if (!editing?.id || !list || list.length === 0) return
    const id = editing.id
    setUploading(true)
    setError(null)
    try {
      for (const file of [...list]) {
        const added = await knowledgeApi.addTemplateFile(id, file)
        setEditing((e) => (e && e.id === id ? { ...e, files: [...e.files, added] } : e))
      }
      refresh()
    } catch (err) {
      setError(err)
    } finally {
      setUploading(false)
    }
  }
  const removeFile = async (fileId: string) => {
    if (!editing?.id) return
    const id = editing.id
    setError(null)
    try {
      await knowledgeApi.removeTemplateFile(id, fileId)
      setEditing((e) => (e && e.id === id ? { ...e, files: e.files.filter((f) => f.id !== fileId) } : e))
      refresh()
    } catch (err) {
      setError(err)
    }
  }
  const remove = async (id: string) => {
    setError(null)
    try {
      await knowledgeApi.deleteTemplate(id)
      setEditing(null)
      refresh()
    } catch (err) {
      setError(err)
    }
  }

  const f = editing?.form
  return (
    <section aria-labelledby="templates-title">
      <h1 id="templates-title">{t('templates.title')}</h1>
      <p className="muted">{t('templates.intro')}</p>
      <div className="kb-toolbar">
        <label>
          <span className="visually-hidden">{t('templates.search')}</span>
          <input type="search" value={q} placeholder={t('templates.search')} onChange={(e) => setQ(e.target.value)} />
        </label>
        <button type="button" className="btn btn-primary" onClick={() => edit(null)}>
          {t('templates.new')}
        </button>
      </div>
      {f && (
        <form className="kb-editor panel" onSubmit={(e) => void save(e)} aria-labelledby="template-form-title">
          <h2 id="template-form-title">{editing?.id ? t('templates.edit') : t('templates.new')}</h2>
          <div className="row">
            <label>
              <span>{t('templates.field.title')}</span>
              <input required value={f.title} onChange={(e) => set('title', e.target.value)} />
            </label>
            <label>
              <span>{t('templates.field.shortcut')}</span>
              <input value={f.shortcut} onChange={(e) => set('shortcut', e.target.value)} pattern="[\p{L}\p{N}_\-]+" />
            </label>
            <label>
              <span>{t('templates.field.language')}</span>
              <select value={f.language} onChange={(e) => set('language', e.target.value as 'nl' | 'en')}>
                <option value="nl">{t('languages.nl')}</option>
                <option value="en">{t('languages.en')}</option>
              </select>
            </label>
            <label>
              <span>{t('templates.field.scope')}</span>
              <select value={f.scope} onChange={(e) => set('scope', e.target.value as TemplateScope)}>
                {(['personal', 'group', 'department'] as const).map((s) => (
                  <option key={s} value={s}>
                    {t(`templates.scope.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            {f.scope === 'group' && (
              <label>
                <span>{t('templates.field.group')}</span>
                <GroupSelect required empty="—" value={f.groupId} onChange={(e) => set('groupId', e.target.value)} />
              </label>
            )}
            {f.scope === 'department' && (
              <label>
                <span>{t('templates.field.department')}</span>
                <DepartmentSelect required empty="—" value={f.departmentId} onChange={(e) => set('departmentId', e.target.value)} />
              </label>
            )}
          </div>
          <label>
            <span>{t('templates.field.body')}</span>
            <textarea required rows={8} value={f.body} onChange={(e) => set('body', e.target.value)} />
          </label>
          <div className="tpl-variants">
            {f.variants.map((v, i) => (
              <fieldset key={i}>
                <legend>{t('templates.variant', { n: i + 1 })}</legend>
                <div className="row">
                  <label>
                    <span>{t('templates.field.language')}</span>
                    <select value={v.language} onChange={(e) => set('variants', f.variants.map((x, j) => (j === i ? { ...x, language: e.target.value as 'nl' | 'en' } : x)))}>
                      <option value="nl">{t('languages.nl')}</option>
                      <option value="en">{t('languages.en')}</option>
                    </select>
                  </label>
                  <label>
                    <span>{t('templates.field.channel')}</span>
                    <select value={v.channel} onChange={(e) => set('variants', f.variants.map((x, j) => (j === i ? { ...x, channel: e.target.value as TemplateVariant['channel'] } : x)))}>
                      {(['mail', 'chat', 'phone'] as const).map((c) => (
                        <option key={c} value={c}>
                          {t(`templates.channel.${c}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button type="button" className="btn btn-small" onClick={() => set('variants', f.variants.filter((_, j) => j !== i))}>
                    {t('templates.removeVariant')}
                  </button>
                </div>
                <label>
                  <span>{t('templates.field.body')}</span>
                  <textarea required rows={4} value={v.body} onChange={(e) => set('variants', f.variants.map((x, j) => (j === i ? { ...x, body: e.target.value } : x)))} />
                </label>
              </fieldset>
            ))}
            <div>
              <button type="button" className="btn btn-small" onClick={() => set('variants', [...f.variants, { language: 'en', channel: 'mail', body: '' }])}>
                {t('templates.addVariant')}
              </button>
            </div>
          </div>
          <fieldset className="tpl-files">
            <legend>{t('templates.files')}</legend>
            {editing?.id ? (
              <>
                <p className="muted small">{t('templates.filesHint')}</p>
                {editing.files.length > 0 && (
                  <ul className="attachments">
                    {editing.files.map((file) => (
                      <li key={file.id}>
                        <a href={file.url} target="_blank" rel="noopener">
                          {file.filename}
                        </a>{' '}
                        <span className="muted small">({fileSize(file.size, i18n.language)})</span>{' '}
                        <button type="button" className="btn btn-small btn-ghost" onClick={() => void removeFile(file.id)}>
                          {t('composer.removeFile', { name: file.filename })}
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
                <label className="btn btn-small file-btn">
                  {uploading ? t('composer.uploading') : t('templates.addFile')}
                  <input type="file" multiple className="visually-hidden" disabled={uploading} onChange={(e) => {
                      const input = e.target
                      void addFiles(input.files).then(() => {
                        input.value = ''
                      })
                    }}
                  />
                </label>
              </>
            ) : (
              <p className="muted small">{t('templates.filesAfterSave')}</p>
            )}
          </fieldset>
          <details>
            <summary>{t('templates.placeholders')}</summary>
            <ul>
              {PLACEHOLDERS.map(([nl, en]) => (
                <li key={nl}>
                  <code>{`{{${nl}}}`}</code> / <code>{`{{${en}}}`}</code>: {t(`templates.placeholder.${nl.replace('.', '_')}`)}
                </li>
              ))}
            </ul>
          </details>
          {error != null && (
            <p className="error-note" role="alert">
              {errorText(error, t)}
            </p>
          )}
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={saving}>
              {saving ? t('common.saving') : t('templates.save')}
            </button>
            <button type="button" className="btn" onClick={() => setEditing(null)}>
              {t('common.cancel')}
            </button>
            {editing?.id && (
              <button type="button" className="btn" onClick={() => void remove(editing.id!)}>
                {t('templates.delete')}
              </button>
            )}
          </div>
        </form>
      )}
      <ErrorNote error={list.error} onRetry={() => void list.refetch()} />
      <ul className="kb-list">
        {list.data?.map((tpl) => (
          <li key={tpl.id}>
            <strong>{tpl.title}</strong> {tpl.shortcut && <code>::{tpl.shortcut}</code>} <span className="badge">{t(`templates.scope.${tpl.scope}`)}</span>{' '}
            <span className="muted small">{t('templates.used', { count: tpl.usageCount })}</span>{' '}
            {tpl.attachments.length > 0 && (
              <>
                <span className="muted small">{t('templates.fileCount', { count: tpl.attachments.length })}</span>{' '}
              </>
            )}
            <button type="button" className="btn btn-small" aria-label={t('templates.editNamed', { title: tpl.title })} onClick={() => edit(tpl)}>
              {t('templates.edit')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}

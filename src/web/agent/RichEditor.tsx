import { EditorContent, useEditor, useEditorState } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import { useTranslation } from 'react-i18next'

/**
 * The knowledge base's rich-text editor (TipTap on ProseMirror). Loaded only when an article is edited
 * (React.lazy), so the agent app's first load stays within its budget. The server sanitises what it saves.
 */
export default function RichEditor({ value, onChange, labelledBy }: { value: string; onChange(html: string): void; labelledBy: string }) {
  const { t } = useTranslation()
  const editor = useEditor({
    extensions: [StarterKit.configure({ heading: { levels: [2, 3] }, link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto', 'tel'] } })],
    content: value,
    editorProps: { attributes: { 'aria-labelledby': labelledBy, role: 'textbox', 'aria-multiline': 'true' } },
    onUpdate: ({ editor }) => onChange(editor.getHTML()),
  })
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e?.isActive('bold') ?? false,
      italic: e?.isActive('italic') ?? false,
      h2: e?.isActive('heading', { level: 2 }) ?? false,
      h3: e?.isActive('heading', { level: 3 }) ?? false,
      bullets: e?.isActive('bulletList') ?? false,
      numbers: e?.isActive('orderedList') ?? false,
      link: e?.isActive('link') ?? false,
    }),
  })
  if (!editor) return null
  const chain = () => editor.chain().focus()
  const button = (key: keyof NonNullable<typeof state>, label: string, run: () => void) => (
    <button type="button" className="btn btn-small" aria-pressed={state?.[key] ?? false} onClick={run}>
      {label}
    </button>
  )
  const setLink = () => {
    const previous = editor.getAttributes('link').href as string | undefined
    const url = window.prompt(t('knowledge.editor.linkPrompt'), previous ?? 'https://')
    if (url === null) return
    if (url === '') chain().extendMarkRange('link').unsetLink().run()
    else chain().extendMarkRange('link').setLink({ href: url }).run()
  }
  return (
    <div>
      <div className="rich-toolbar" role="toolbar" aria-label={t('knowledge.editor.toolbar')}>
        {button('bold', t('knowledge.editor.bold'), () => chain().toggleBold().run())}
        {button('italic', t('knowledge.editor.italic'), () => chain().toggleItalic().run())}
        {button('h2', t('knowledge.editor.heading'), () => chain().toggleHeading({ level: 2 }).run())}
        {button('h3', t('knowledge.editor.subheading'), () => chain().toggleHeading({ level: 3 }).run())}
        {button('bullets', t('knowledge.editor.bullets'), () => chain().toggleBulletList().run())}
        {button('numbers', t('knowledge.editor.numbers'), () => chain().toggleOrderedList().run())}
        {button('link', t('knowledge.editor.link'), setLink)}
      </div>
      <EditorContent editor={editor} className="rich-content article-body" />
    </div>
  )
}

/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact'
import { BASE, navigate } from './router.js'

/** A link inside the portal: a real href (opens in a new tab, works without a click handler), followed without a reload. */
export function Link({ to, children, className, current }: { to: string; children: ComponentChildren; className?: string; current?: boolean }) {
  return (
    <a
      href={BASE + to}
      className={className}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
        e.preventDefault()
        navigate(to)
      }}
    >
      {children}
    </a>
  )
}

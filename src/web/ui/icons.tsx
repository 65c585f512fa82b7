import type { ReactElement } from 'react'

const paths: Record<string, ReactElement> = {
  email: <path d="M3 5h18v14H3zM3 6l9 7 9-7" />,
  chat: <path d="M4 4h16v11H9l-5 4z" />,
  phone: <path d="M6 3h4l2 5-3 2a11 11 0 0 0 5 5l2-3 5 2v4a2 2 0 0 1-2 2A17 17 0 0 1 4 5a2 2 0 0 1 2-2z" />,
  portal: <path d="M3 4h18v16H3zM3 9h18M7 6.5h.01" />,
  api: <path d="M8 7l-5 5 5 5M16 7l5 5-5 5M14 4l-4 16" />,
  note: <path d="M5 3h10l4 4v14H5zM9 12h6M9 16h6" />,
  in: <path d="M19 12H5M11 6l-6 6 6 6" />,
  out: <path d="M5 12h14M13 6l6 6-6 6" />,
  bell: <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0" />,
  paperclip: <path d="M20 11l-8.5 8.5a5 5 0 0 1-7-7L13 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L14 7" />,
}

/** Small line icons; decorative unless given a label. */
export function Icon({ name, label, size = 16 }: { name: string; label?: string; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      focusable="false"
    >
      {label && <title>{label}</title>}
      {paths[name] ?? paths.api}
    </svg>
  )
}

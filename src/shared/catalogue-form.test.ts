import { describe, expect, it } from 'vitest'
import type { CatalogField } from './api/catalogue.js'
import { formProblems, visibleFields } from './catalogue-form.js'

const fields: CatalogField[] = [
  { key: 'wat', label: 'Wat heeft u nodig?', type: 'choice', required: true, options: ['Laptop', 'Telefoon'] },
  { key: 'model', label: 'Welk model?', type: 'text', required: true, showWhen: { field: 'wat', equals: 'Laptop' } },
  { key: 'spoed', label: 'Is het dringend?', type: 'yesno', required: false },
  { key: 'waarom', label: 'Waarom?', type: 'longtext', required: true, showWhen: { field: 'spoed' } },
  { key: 'vanaf', label: 'Vanaf', type: 'date', required: false },
]

describe('catalogue form rules', () => {
  it('shows a conditional field only when the field it depends on has (that) value', () => {
    expect(visibleFields(fields, {}).map((f) => f.key)).toEqual(['wat', 'spoed', 'vanaf'])
    expect(visibleFields(fields, { wat: 'Laptop', spoed: true }).map((f) => f.key)).toEqual(['wat', 'model', 'spoed', 'waarom', 'vanaf'])
    expect(visibleFields(fields, { wat: 'Telefoon', spoed: false }).map((f) => f.key)).toEqual(['wat', 'spoed', 'vanaf'])
  })

  it('asks only visible required fields, and checks choices, dates and yes/no', () => {
    expect(formProblems(fields, {})).toEqual([{ key: 'wat', problem: 'required' }])
    expect(formProblems(fields, { wat: 'Laptop' })).toEqual([{ key: 'model', problem: 'required' }])
    expect(formProblems(fields, { wat: 'Tablet', spoed: 'ja', vanaf: '2026-02-30' })).toEqual([
      { key: 'wat', problem: 'option' },
      { key: 'spoed', problem: 'type' },
      // 'ja' is a value, so the question that depends on it is asked too.
      { key: 'waarom', problem: 'required' },
      { key: 'vanaf', problem: 'date' },
    ])
    expect(formProblems(fields, { wat: 'Telefoon', spoed: false, vanaf: '2026-12-24' })).toEqual([])
  })
})

import { useTranslation } from 'react-i18next'

/** The options of a select over a fixed list (statuses, priorities, …), labelled from `<ns>.<value>`. */
export function EnumOptions({ values, ns, empty }: { values: readonly string[]; ns: 'status' | 'priority' | 'type' | 'channel'; empty?: string }) {
  const { t } = useTranslation()
  return (
    <>
      {empty !== undefined && <option value="">{empty}</option>}
      {values.map((v) => (
        <option key={v} value={v}>
          {t(`${ns}.${v}`)}
        </option>
      ))}
    </>
  )
}

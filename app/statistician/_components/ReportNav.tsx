import Link from 'next/link';

export const REPORT_TABS = [
  { key: 'overview', label: 'Outcomes & CONSORT', path: '' },
  { key: 'decision-curves', label: 'Decision curves', path: '/decision-curves' },
  { key: 'interim', label: 'Interim monitoring', path: '/interim' },
  { key: 'subgroups', label: 'Subgroups & bias', path: '/subgroups' },
  { key: 'validation', label: 'External validation', path: '/validation' },
  { key: 'checklists', label: 'CONSORT-AI / SPIRIT-AI', path: '/checklists' },
  { key: 'dicom', label: 'DICOM results', path: '/dicom' },
] as const;

/** The report's header and tabs. */
export function ReportNav({ trial, current }: { trial: { id: string; name: string; status: string }; current: (typeof REPORT_TABS)[number]['key'] }) {
  return (
    <div className="trial-head">
      <p className="muted" style={{ margin: 0 }}>
        <Link href="/statistician">Analysis</Link> ›
      </p>
      <h1>{trial.name}</h1>
      <nav className="tabs report-tabs" aria-label="Report">
        {REPORT_TABS.map((tab) => (
          <Link key={tab.key} href={`/statistician/${trial.id}${tab.path}`} aria-current={tab.key === current ? 'page' : undefined}>
            {tab.label}
          </Link>
        ))}
        <a href={`/api/analytics/${trial.id}/export?what=pdf&format=pdf`} download>
          PDF report
        </a>
      </nav>
    </div>
  );
}

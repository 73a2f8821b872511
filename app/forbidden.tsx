import Link from 'next/link';

export default function Forbidden() {
  return (
    <main>
      <div className="panel login-card" role="alert">
        <h1>403 · Not permitted</h1>
        <p>Your role does not give access to this page. Every access is checked by the server.</p>
        <Link href="/">Back to your home page</Link>
      </div>
    </main>
  );
}

import { useCalendar, useHealth } from '../api/queries';
import { ErrorNotice, Loading } from '../components/Notices';
import { TimeLabel } from '../components/TimeLabel';
import { useNow } from '../components/use-now';
import { usePageTitle } from '../components/use-page-title';

/** `/health`, refreshed every few seconds: the API, its database and the bot's heartbeat. */
export function StatusPage() {
  const health = useHealth();
  const calendar = useCalendar();
  const now = useNow(5_000);
  usePageTitle('Status');
  const timezone = calendar.data?.timezone ?? 'UTC';

  return (
    <>
      <h1>Status</h1>
      {health.isPending ? <Loading what="the status" /> : null}
      {health.isError && !health.data ? <ErrorNotice error={health.error} what="the status" /> : null}
      {health.data ? (
        <>
          <dl className="status-list">
            <StatusRow
              name="API"
              ok={!health.isError}
              state={health.isError ? 'not answering' : 'answering'}
              detail={
                <>
                  checked <TimeLabel iso={health.data.timestamp} now={now} timezone={timezone} />
                </>
              }
            />
            <StatusRow
              name="Database"
              ok={health.data.components.database.status === 'up'}
              state={health.data.components.database.status === 'up' ? 'up' : 'down'}
              detail={
                health.data.components.database.plan_count !== undefined
                  ? `${health.data.components.database.plan_count} live plans`
                  : 'not answering'
              }
            />
            <BotRow bot={health.data.components.discord_bot} now={now} timezone={timezone} />
          </dl>
          <p className="muted small">Refreshed every 5 seconds.</p>
        </>
      ) : null}
    </>
  );
}

type Bot = NonNullable<ReturnType<typeof useHealth>['data']>['components']['discord_bot'];

function BotRow({ bot, now, timezone }: { bot: Bot; now: Date; timezone: string }) {
  const connected = bot.status === 'connected';
  return (
    <StatusRow
      name="Discord bot"
      ok={connected}
      state={connected ? 'connected' : 'disconnected'}
      detail={
        <>
          {bot.last_heartbeat ? (
            <>
              last heartbeat <TimeLabel iso={bot.last_heartbeat} now={now} timezone={timezone} />
            </>
          ) : (
            'no heartbeat ever received'
          )}
          {connected && bot.latency_ms !== null ? ` · ${Math.round(bot.latency_ms)} ms` : ''}
          {connected ? ` · ${bot.guilds} ${bot.guilds === 1 ? 'server' : 'servers'}` : ''}
        </>
      }
    />
  );
}

/** One component: a word and a symbol for its state (never colour alone), and details. */
function StatusRow({
  name,
  ok,
  state,
  detail,
}: {
  name: string;
  ok: boolean;
  state: string;
  detail: React.ReactNode;
}) {
  return (
    <div className={`status-row ${ok ? 'status-ok' : 'status-bad'}`} data-component={name}>
      <dt>{name}</dt>
      <dd>
        <span className="status-state">
          <span aria-hidden="true">{ok ? '✓' : '✕'}</span> {state}
        </span>
        <span className="status-detail">{detail}</span>
      </dd>
    </div>
  );
}

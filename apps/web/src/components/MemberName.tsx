/**
 * A member as the API names them: their display name (the Discord id on hover), or the id itself for a member
 * the bot has not seen act yet (one who only used the keyed API).
 */
export function MemberName({ id, name }: { id: string; name: string | null }) {
  if (name === null) return <span className="member-id">{id}</span>;
  return <span title={`Discord id ${id}`}>{name}</span>;
}

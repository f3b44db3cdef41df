import { useEffect, useRef, useState } from 'react';
import type { FleetFilter, FleetSort } from './fleet-filter';

type Props = Readonly<{
  filter: FleetFilter;
  locations: readonly string[];
  tags: readonly string[];
  onChange: (filter: FleetFilter) => void;
}>;

/** Text typed is applied after a short pause, so each keystroke does not re-filter 10,000 rows. */
const useDebounced = (value: string, apply: (value: string) => void, ms = 150) => {
  const [draft, setDraft] = useState(value);
  const applyRef = useRef(apply);
  applyRef.current = apply;
  useEffect(() => setDraft(value), [value]);
  useEffect(() => {
    if (draft === value) return;
    const timer = setTimeout(() => applyRef.current(draft), ms);
    return () => clearTimeout(timer);
  }, [draft, value, ms]);
  return [draft, setDraft] as const;
};

export const FleetFilters = ({ filter, locations, tags, onChange }: Props) => {
  const [text, setText] = useDebounced(filter.text, (value) => onChange({ ...filter, text: value.trim() }));
  const [tagText, setTagText] = useDebounced(filter.tags.join(', '), (value) =>
    onChange({
      ...filter,
      tags: [
        ...new Set(
          value
            .split(',')
            .map((tag) => tag.trim().toLowerCase())
            .filter(Boolean),
        ),
      ],
    }),
  );
  return (
    <div className="row">
      <input
        type="search"
        aria-label="Search name or address"
        placeholder="Search name or address"
        value={text}
        onChange={(event) => setText(event.target.value)}
        style={{ width: 240 }}
      />
      <input
        aria-label="Tags"
        placeholder="tags: core, edge"
        list="fleet-tags"
        value={tagText}
        onChange={(event) => setTagText(event.target.value)}
        style={{ width: 170 }}
      />
      <datalist id="fleet-tags">
        {tags.map((tag) => (
          <option key={tag} value={tag} />
        ))}
      </datalist>
      <select
        aria-label="Location"
        value={filter.location}
        onChange={(event) => onChange({ ...filter, location: event.target.value })}
      >
        <option value="">Any location</option>
        {locations.map((location) => (
          <option key={location} value={location}>
            {location}
          </option>
        ))}
        {filter.location && !locations.includes(filter.location) && (
          <option value={filter.location}>{filter.location}</option>
        )}
      </select>
      <select
        aria-label="Sort"
        value={filter.sort}
        onChange={(event) => onChange({ ...filter, sort: event.target.value as FleetSort })}
      >
        <option value="status">Worst status first</option>
        <option value="name">Name</option>
      </select>
    </div>
  );
};

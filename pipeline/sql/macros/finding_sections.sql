-- finding_section(section, findings_in_section): the section a finding is reported under, or
-- NULL. A check that hits at least 5 pages of one section is a template problem: the report
-- shows it once per section ("on 150 of 150 product pages"), and report_top_fixes ranks it
-- as one fix; fewer hits stay in the check's own group.
-- finding_section('product', 150) = 'product'; finding_section('product', 2) = NULL.
create or replace temp macro finding_section(section, findings_in_section) as
    case when findings_in_section >= 5 then section end;
